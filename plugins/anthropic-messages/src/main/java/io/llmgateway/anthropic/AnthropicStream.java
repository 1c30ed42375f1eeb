package io.llmgateway.anthropic;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.TokenUsage;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import static java.util.Objects.requireNonNull;

/**
 * Translates one message's stream of Anthropic events into deltas, event by event as they arrive: the
 * Messages API's server-sent events and the {@code event} of the {@code claude} CLI's {@code stream_event}
 * lines are the same objects. Text blocks become text; each {@code tool_use} block becomes a tool call
 * (numbered among the tool calls, its {@code input_json_delta} fragments its argument fragments);
 * thinking and other blocks are not passed on. {@code message_start} and {@code message_delta} carry the
 * usage and the stop reason; {@link #finish()} emits the finish reason and usage once the caller knows
 * the message ended.
 */
public final class AnthropicStream {

    private final ChatSink sink;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private final AnthropicUsage usage = new AnthropicUsage();
    private Optional<String> stopReason = Optional.empty();

    /**
     * A translation into a sink.
     *
     * @param sink receives the text and tool-call deltas, then (from {@link #finish()}) finish and usage
     */
    public AnthropicStream(ChatSink sink) {
        this.sink = sink;
    }

    /**
     * Translates one event.
     *
     * @param event the event object (its {@code type} says which event it is)
     * @return whether the message goes on, ended ({@code message_stop}), or failed (an {@code error} event)
     */
    public Step accept(JsonObject event) {
        switch (event.getString("type", "")) {
            case "message_start" -> {
                if (event.get("message") instanceof JsonObject message && message.get("usage") instanceof JsonObject counts) {
                    usage.read(counts);
                }
            }
            case "content_block_start" -> blockStart(event);
            case "content_block_delta" -> blockDelta(event);
            case "message_delta" -> {
                if (event.get("delta") instanceof JsonObject delta && delta.get("stop_reason") instanceof JsonString reason) {
                    stopReason = Optional.of(reason.getString());
                }
                if (event.get("usage") instanceof JsonObject counts) {
                    usage.read(counts);
                }
            }
            case "message_stop" -> {
                return Step.ENDED;
            }
            case "error" -> {
                return AnthropicErrors.fromErrorEvent(event);
            }
            default -> {
                // content_block_stop, ping and event types added after this release
            }
        }
        return Step.MORE;
    }

    /** {@return the message's {@code stop_reason}, once {@code message_delta} brought it} */
    public Optional<String> stopReason() {
        return stopReason;
    }

    /** {@return the finish reason the stop reason read so far becomes} */
    public FinishReason finishReason() {
        return StopReason.finishReasonOf(stopReason);
    }

    /** {@return the usage read so far} */
    public TokenUsage usage() {
        return usage.total();
    }

    /** Emits the finish reason and the usage: the end of the answer. */
    public void finish() {
        sink.emit(new ChatDelta.Finish(finishReason()));
        sink.emit(new ChatDelta.Usage(usage()));
    }

    private void blockStart(JsonObject event) {
        if (!(event.get("content_block") instanceof JsonObject block)) {
            return;
        }
        switch (block.getString("type", "")) {
            case "text" -> text(block.getString("text", ""));
            case "tool_use" -> {
                int index = toolIndexByBlock.size();
                toolIndexByBlock.put(event.getInt("index", -1), index);
                sink.emit(new ChatDelta.ToolCallFragment(index, Optional.of(block.getString("id", "")),
                                                         Optional.of(block.getString("name", "")), ""));
            }
            default -> {
                // thinking, redacted_thinking and server tool blocks are not part of an OpenAI answer
            }
        }
    }

    private void blockDelta(JsonObject event) {
        if (!(event.get("delta") instanceof JsonObject delta)) {
            return;
        }
        switch (delta.getString("type", "")) {
            case "text_delta" -> text(delta.getString("text", ""));
            case "input_json_delta" -> {
                Integer toolIndex = toolIndexByBlock.get(event.getInt("index", -1));
                String fragment = delta.getString("partial_json", "");
                if (toolIndex != null && !fragment.isEmpty()) {
                    sink.emit(new ChatDelta.ToolCallFragment(toolIndex, Optional.empty(), Optional.empty(), fragment));
                }
            }
            default -> {
                // thinking, signature and citation deltas
            }
        }
    }

    private void text(String text) {
        if (!text.isEmpty()) {
            sink.emit(new ChatDelta.Text(text));
        }
    }

    /** What an event meant for the message. */
    public sealed interface Step {
        /** The message goes on. */
        Step MORE = new More();
        /** The message ended ({@code message_stop}). */
        Step ENDED = new Ended();

        /** The message goes on. */
        record More() implements Step {
        }

        /** The message ended ({@code message_stop}). */
        record Ended() implements Step {
        }

        /**
         * The upstream reported an error in the middle of the message.
         *
         * @param error     the client's error
         * @param retryable whether the same request may succeed if tried again (overloaded, internal error)
         */
        record Failed(GatewayException error, boolean retryable) implements Step {
            /** Validates. */
            public Failed {
                requireNonNull(error, "error is null");
            }
        }
    }
}
