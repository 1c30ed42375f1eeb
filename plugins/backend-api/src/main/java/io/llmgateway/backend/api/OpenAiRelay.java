package io.llmgateway.backend.api;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FailureKind;
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
 * Relays an OpenAI-compatible upstream: the client's request goes out as it came, with only the model
 * name replaced by the upstream's, and the upstream's completion or chunks come back as they are, with
 * only the model name replaced by the client's; so whatever the upstream supports (logprobs, refusals,
 * audio...) works. Finish reason and usage are read on the way for middleware. Chunks that only open the answer
 * (the role, empty content) are held until the first chunk that carries something (content, a tool call, a
 * finish reason, usage) and sent with it, so an error right after them is still a failure before the first delta.
 */
final class OpenAiRelay implements UpstreamCall.AnswerReader {

    private static final JsonProvider JSON = JsonProvider.provider();

    private final ChatSink sink;
    private final String upstream;
    private final String clientModel;
    private final boolean stream;
    private final List<JsonObject> held = new ArrayList<>();
    private boolean begun;
    private SseReader events;
    private FinishReason finish = FinishReason.STOP;
    private TokenUsage usage;

    /**
     * Relays one answer.
     *
     * @param sink        where the deltas go
     * @param upstream    the upstream's name in messages
     * @param clientModel the model name the client asked for
     * @param stream      whether the client asked for a stream
     */
    OpenAiRelay(ChatSink sink, String upstream, String clientModel, boolean stream) {
        this.sink = sink;
        this.upstream = upstream;
        this.clientModel = clientModel;
        this.stream = stream;
    }

    /**
     * The request for the upstream: the client's, with the upstream's model name.
     *
     * @param body          the client's request body
     * @param upstreamModel the model name the upstream knows
     * @return the JSON body
     */
    static String request(JsonObject body, String upstreamModel) {
        return JSON.createObjectBuilder(body).add("model", upstreamModel).build().toString();
    }

    @Override
    public void read(UpstreamBody body) throws IOException {
        if (stream) {
            readStream(new SseReader(body));
        } else {
            JsonObject completion;
            try {
                completion = body.readJsonObject(JSON);
            } catch (RuntimeException e) {
                throw malformed("a body that is not JSON");
            }
            note(completion);
            emit(completion);
        }
        sink.emit(new ChatDelta.Finish(finish));
        if (usage != null) {
            sink.emit(new ChatDelta.Usage(usage));
        }
    }

    @Override
    public boolean streamed() {
        return stream;
    }

    @Override
    public int events() {
        return events == null ? 0 : events.events();
    }

    private void readStream(SseReader events) throws IOException {
        this.events = events;
        Optional<SseReader.Event> next;
        while ((next = events.next()).isPresent()) {
            String data = next.get().data();
            if (data.equals("[DONE]")) {
                begin();
                return;
            }
            if (data.isEmpty()) {
                continue;
            }
            JsonObject chunk = parse(data, events.events());
            if (chunk.get("error") instanceof JsonObject error) {
                throw UpstreamErrors.fromStreamError(upstream, error);
            }
            if (chunk.get("object") instanceof JsonString object && object.getString().equals("error")) {
                throw UpstreamErrors.fromStreamError(upstream, chunk); // vLLM's and sglang's older shape
            }
            note(chunk);
            if (!begun && opensOnly(chunk)) {
                held.add(chunk);
                continue;
            }
            begin();
            emit(chunk);
        }
        throw GatewayException.badGateway("The stream from " + upstream + " ended after "
                                                  + ConnectionFailures.events(events.events()) + ", before [DONE]")
                .withFailureKind(FailureKind.SERVER);
    }

    /**
     * Whether a chunk only opens the answer: no usage, no finish reason, and deltas with nothing but the role and
     * empty content (some upstreams send a chunk without choices first).
     */
    private static boolean opensOnly(JsonObject chunk) {
        if (chunk.get("usage") instanceof JsonObject) {
            return false;
        }
        if (!(chunk.get("choices") instanceof JsonArray choices)) {
            return true;
        }
        for (JsonValue value : choices) {
            if (!(value instanceof JsonObject choice)) {
                return false;
            }
            if (choice.get("finish_reason") instanceof JsonString) {
                return false;
            }
            JsonValue delta = choice.get("delta");
            if (delta instanceof JsonObject fields) {
                for (Map.Entry<String, JsonValue> field : fields.entrySet()) {
                    if (!field.getKey().equals("role") && !empty(field.getValue())) {
                        return false;
                    }
                }
            } else if (delta != null && delta != JsonValue.NULL) {
                return false;
            }
        }
        return true;
    }

    /** The answer has begun: the chunks held so far go first. */
    private void begin() {
        held.forEach(this::emit);
        held.clear();
        begun = true;
    }

    private static boolean empty(JsonValue value) {
        return value == JsonValue.NULL
                || value instanceof JsonString text && text.getString().isEmpty()
                || value instanceof JsonArray array && array.isEmpty();
    }

    /** Reads the finish reason and usage, wherever in the object they are. */
    private void note(JsonObject object) {
        if (object.get("choices") instanceof JsonArray choices && !choices.isEmpty()
                && choices.get(0) instanceof JsonObject choice
                && choice.get("finish_reason") instanceof JsonString reason) {
            // function_call is the deprecated name of tool_calls
            finish = reason.getString().equals("function_call") ? FinishReason.TOOL_CALLS
                    : FinishReason.fromWireName(reason.getString()).orElse(FinishReason.STOP);
        }
        if (object.get("usage") instanceof JsonObject counted) {
            long cached = counted.get("prompt_tokens_details") instanceof JsonObject details
                    && details.get("cached_tokens") instanceof JsonNumber number ? number.longValue() : 0;
            usage = new TokenUsage(count(counted, "prompt_tokens"), count(counted, "completion_tokens"), cached);
        }
    }

    private void emit(JsonObject object) {
        JsonObject relayed = object.get("model") instanceof JsonString model && !model.getString().equals(clientModel)
                ? JSON.createObjectBuilder(object).add("model", clientModel).build()
                : object;
        sink.emit(new ChatDelta.Passthrough(relayed));
    }

    private static long count(JsonObject usage, String name) {
        return usage.get(name) instanceof JsonNumber number ? number.longValue() : 0;
    }

    private JsonObject parse(String json, int event) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw malformed("an event that is not JSON (event " + event + " of the stream)");
        }
    }

    private GatewayException malformed(String what) {
        return GatewayException.badGateway(UpstreamErrors.sentence(upstream) + " answered " + what)
                .withFailureKind(FailureKind.SERVER);
    }
}
