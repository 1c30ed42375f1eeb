package io.llmgateway.backend.api;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.TokenUsage;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Translates Anthropic answers into deltas: a whole message ({@link #readMessage}) or a stream of
 * events ({@link #readStream}), translated event by event as they arrive. Text becomes text; each
 * {@code tool_use} block becomes a tool call (its {@code input_json_delta} fragments become argument
 * fragments); {@code stop_reason} becomes the finish reason; input plus cache tokens become
 * {@code prompt_tokens}, cache reads {@code cached_tokens}. Thinking blocks are not passed on.
 */
final class AnthropicAnswers implements UpstreamCall.AnswerReader {

    private static final JsonProvider JSON = JsonProvider.provider();

    private final ChatSink sink;
    private final boolean stream;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private SseReader events;
    private boolean emitted;
    private long inputTokens;
    private long cacheRead;
    private long cacheCreation;
    private long outputTokens;
    private String stopReason;

    AnthropicAnswers(ChatSink sink, boolean stream) {
        this.sink = sink;
        this.stream = stream;
    }

    @Override
    public void read(UpstreamBody body) throws IOException {
        if (stream) {
            readStream(new SseReader(body));
        } else {
            JsonObject message;
            try {
                message = body.readJsonObject(JSON);
            } catch (RuntimeException e) {
                throw malformed("a body that is not JSON");
            }
            readMessage(message);
        }
    }

    @Override
    public boolean emitted() {
        return emitted;
    }

    @Override
    public boolean streamed() {
        return stream;
    }

    @Override
    public int events() {
        return events == null ? 0 : events.events();
    }

    /** A whole (non-streamed) message. */
    void readMessage(JsonObject message) {
        JsonArray content = message.getJsonArray("content");
        if (content == null) {
            throw malformed("a message without content");
        }
        int tools = 0;
        for (JsonValue value : content) {
            if (!(value instanceof JsonObject block)) {
                continue;
            }
            switch (block.getString("type", "")) {
                case "text" -> emitText(block.getString("text", ""));
                case "tool_use" -> emit(new ChatDelta.ToolCallFragment(tools++, Optional.of(block.getString("id", "")),
                                                                       Optional.of(block.getString("name", "")),
                                                                       inputOf(block).toString()));
                default -> {
                    // thinking and other blocks are not part of an OpenAI answer
                }
            }
        }
        readUsage(message.getJsonObject("usage"));
        stopReason = message.get("stop_reason") instanceof JsonString reason ? reason.getString() : null;
        finish();
    }

    /** A stream of events, ending with {@code message_stop}. */
    void readStream(SseReader events) throws IOException {
        this.events = events;
        Optional<SseReader.Event> next;
        while ((next = events.next()).isPresent()) {
            SseReader.Event event = next.get();
            if (event.name().equals("ping") || event.data().isEmpty()) {
                continue;
            }
            JsonObject data = parse(event.data(), events.events());
            switch (data.getString("type", event.name())) {
                case "message_start" -> {
                    JsonObject message = data.getJsonObject("message");
                    readUsage(message == null ? null : message.getJsonObject("usage"));
                }
                case "content_block_start" -> blockStart(data);
                case "content_block_delta" -> blockDelta(data);
                case "message_delta" -> {
                    JsonObject delta = data.getJsonObject("delta");
                    if (delta != null && delta.get("stop_reason") instanceof JsonString reason) {
                        stopReason = reason.getString();
                    }
                    readUsage(data.getJsonObject("usage"));
                }
                case "message_stop" -> {
                    finish();
                    return;
                }
                case "error" -> {
                    JsonObject error = data.getJsonObject("error");
                    String type = error == null ? "api_error" : error.getString("type", "api_error");
                    String message = error == null ? event.data() : error.getString("message", "");
                    throw new UpstreamCall.BrokenAnswer(UpstreamErrors.fromAnthropicEvent(type, message),
                                                        type.equals("overloaded_error") || type.equals("api_error"));
                }
                default -> {
                    // content_block_stop, ping and future event types
                }
            }
        }
        throw new UpstreamCall.BrokenAnswer(GatewayException.badGateway(
                "The stream from Anthropic ended after " + ConnectionFailures.events(events.events())
                        + ", before message_stop"), true);
    }

    private void blockStart(JsonObject data) {
        JsonObject block = data.getJsonObject("content_block");
        if (block == null) {
            return;
        }
        switch (block.getString("type", "")) {
            case "text" -> emitText(block.getString("text", ""));
            case "tool_use" -> {
                int index = toolIndexByBlock.size();
                toolIndexByBlock.put(data.getInt("index", -1), index);
                emit(new ChatDelta.ToolCallFragment(index, Optional.of(block.getString("id", "")),
                                                    Optional.of(block.getString("name", "")), ""));
            }
            default -> {
                // thinking blocks
            }
        }
    }

    private void blockDelta(JsonObject data) {
        JsonObject delta = data.getJsonObject("delta");
        if (delta == null) {
            return;
        }
        switch (delta.getString("type", "")) {
            case "text_delta" -> emitText(delta.getString("text", ""));
            case "input_json_delta" -> {
                Integer toolIndex = toolIndexByBlock.get(data.getInt("index", -1));
                String fragment = delta.getString("partial_json", "");
                if (toolIndex != null && !fragment.isEmpty()) {
                    emit(new ChatDelta.ToolCallFragment(toolIndex, Optional.empty(), Optional.empty(), fragment));
                }
            }
            default -> {
                // thinking and signature deltas
            }
        }
    }

    private void finish() {
        emit(new ChatDelta.Finish(finishReason(stopReason)));
        emit(new ChatDelta.Usage(new TokenUsage(inputTokens + cacheRead + cacheCreation, outputTokens, cacheRead)));
    }

    static FinishReason finishReason(String stopReason) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, stop_sequence, pause_turn
        };
    }

    /** Usage fields as they come: message_start has the input, message_delta the cumulative output. */
    private void readUsage(JsonObject usage) {
        if (usage == null) {
            return;
        }
        inputTokens = count(usage, "input_tokens", inputTokens);
        cacheRead = count(usage, "cache_read_input_tokens", cacheRead);
        cacheCreation = count(usage, "cache_creation_input_tokens", cacheCreation);
        outputTokens = count(usage, "output_tokens", outputTokens);
    }

    private static long count(JsonObject usage, String name, long previous) {
        return usage.get(name) instanceof JsonNumber number ? number.longValue() : previous;
    }

    private static JsonValue inputOf(JsonObject toolUse) {
        JsonValue input = toolUse.get("input");
        return input == null ? JsonValue.EMPTY_JSON_OBJECT : input;
    }

    private void emitText(String text) {
        if (!text.isEmpty()) {
            emit(new ChatDelta.Text(text));
        }
    }

    private void emit(ChatDelta delta) {
        sink.emit(delta);
        if (!(delta instanceof ChatDelta.Finish) && !(delta instanceof ChatDelta.Usage)) {
            emitted = true;
        }
    }

    private static JsonObject parse(String json, int event) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw malformed("an event that is not JSON (event " + event + " of the stream)");
        }
    }

    private static GatewayException malformed(String what) {
        return GatewayException.badGateway("Anthropic answered " + what);
    }
}
