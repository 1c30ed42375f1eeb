package io.llmgateway.backend.api;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.Role;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.TestExchange;
import io.llmgateway.testing.TestPluginContext;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * An api backend created through its provider and called as the host calls it, against fake upstreams.
 */
final class ApiFixture implements AutoCloseable {

    private final Backend backend;
    private final TestPluginContext context;

    private ApiFixture(Backend backend, TestPluginContext context) {
        this.backend = backend;
        this.context = context;
    }

    static ApiFixture start(Map<String, String> settings) {
        Map<String, String> config = new HashMap<>(Map.of("LLM_API_CONNECT_TIMEOUT", "2"));
        config.putAll(settings);
        TestPluginContext context = TestPluginContext.of(config);
        return new ApiFixture(new ApiBackendProvider().create(context), context);
    }

    Backend backend() {
        return backend;
    }

    /** What the backend logged, one entry per line (see {@link TestPluginContext#logged()}). */
    List<String> logged() {
        return context.logged();
    }

    RecordingSink chat(String json) {
        return chat(json, Instant.now().plusSeconds(30), delta -> { });
    }

    /**
     * Serves a request given as the client's JSON body; the observer sees each delta first.
     */
    RecordingSink chat(String json, Instant deadline, ChatSink observer) {
        RecordingSink sink = new RecordingSink(observer);
        TestExchange exchange = new TestExchange(request(Requests.json(json)), deadline);
        backend.chat(exchange, sink);
        return sink;
    }

    @Override
    public void close() {
        backend.close();
        context.close();
    }

    /** The validated request the host would make of a body (string contents only: enough here). */
    static ChatRequest request(JsonObject body) {
        List<ChatMessage> messages = body.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(message -> ChatMessage.of(Role.fromWireName(message.getString("role")).orElseThrow(),
                                               message.getString("content", "")))
                .toList();
        boolean stream = body.getBoolean("stream", false);
        boolean includeUsage = body.get("stream_options") instanceof JsonObject options
                && options.getBoolean("include_usage", false);
        OptionalInt maxTokens = body.containsKey("max_tokens") ? OptionalInt.of(body.getInt("max_tokens"))
                : OptionalInt.empty();
        List<String> stop = body.get("stop") instanceof JsonString single ? List.of(single.getString()) : List.of();
        return new ChatRequest(body.getString("model"), messages, maxTokens, OptionalDouble.empty(), OptionalDouble.empty(),
                               stop, stream, includeUsage, Optional.empty(), OptionalLong.empty(), Map.of(),
                               body.isEmpty() ? JsonValue.EMPTY_JSON_OBJECT : body);
    }
}
