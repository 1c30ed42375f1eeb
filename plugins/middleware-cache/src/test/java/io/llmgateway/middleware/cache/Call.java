package io.llmgateway.middleware.cache;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.Role;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.TestExchange;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * One call through the cache as the host would make it: a request body as a client sends it, request
 * headers, a tenant and a backend type; {@link #through} runs it and records what the client got.
 */
final class Call {

    /** Looked up once: {@code Json.createReader} would search the service loader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final String body;
    private final Map<String, String> headers = new HashMap<>();
    private String tenant;
    private String backend = "mock";

    private Call(String body) {
        this.body = body;
    }

    /** A call with this request body (JSON text, as a client would send it). */
    static Call of(String body) {
        return new Call(body);
    }

    /** A plain call: a model and one user message. */
    static Call asking(String model, String text) {
        return of("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}");
    }

    Call header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Call tenant(String name) {
        tenant = name;
        return this;
    }

    Call backend(String type) {
        backend = type;
        return this;
    }

    /** Runs the call through the middleware to the backend. */
    Result through(Middleware middleware, FakeBackend fake) {
        return through(middleware, fake, new RecordingSink());
    }

    /** Runs the call through the middleware to the backend, into a given sink. */
    Result through(Middleware middleware, FakeBackend fake, RecordingSink sink) {
        TestExchange exchange = exchange();
        middleware.handle(exchange, sink, fake.chain(exchange));
        return new Result(sink.deltas(), exchange.responseHeaders(), exchange.annotations());
    }

    TestExchange exchange() {
        TestExchange exchange = new TestExchange(request(body), Instant.now().plusSeconds(60), headers).backend(backend);
        if (tenant != null) {
            exchange.tenant(tenant);
        }
        return exchange;
    }

    /** The request as the host's parser makes it, for the fields the cache reads. */
    static ChatRequest request(String text) {
        JsonObject body = JSON.createReader(new StringReader(text)).readObject();
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonValue message : body.getJsonArray("messages")) {
            JsonObject object = message.asJsonObject();
            messages.add(ChatMessage.of(Role.fromWireName(object.getString("role")).orElseThrow(),
                                        object.getString("content")));
        }
        boolean stream = body.getBoolean("stream", false);
        boolean includeUsage = body.get("stream_options") instanceof JsonObject options
                && options.getBoolean("include_usage", false);
        OptionalDouble temperature = body.get("temperature") instanceof JsonNumber number
                ? OptionalDouble.of(number.doubleValue()) : OptionalDouble.empty();
        return new ChatRequest(body.getString("model"), messages, OptionalInt.empty(), temperature,
                               OptionalDouble.empty(), List.of(), stream, includeUsage,
                               Optional.empty(), OptionalLong.empty(), Map.of(), body);
    }

    /**
     * What the client got.
     *
     * @param deltas      the deltas it received
     * @param headers     the response headers middleware set
     * @param annotations the log fields middleware set
     */
    record Result(List<ChatDelta> deltas, Map<String, String> headers, Map<String, String> annotations) {

        String xCache() {
            return headers.get("x-cache");
        }

        String logged() {
            return annotations.get("cache");
        }

        String text() {
            StringBuilder text = new StringBuilder();
            deltas.forEach(delta -> {
                if (delta instanceof ChatDelta.Text(String more)) {
                    text.append(more);
                }
            });
            return text.toString();
        }
    }

    /** test-support's exchange with a backend type of the test's choosing. */
}
