package io.llmgateway.backend.api;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.llmgateway.api.ChatSink;
import io.llmgateway.api.GatewayException;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.FakeOpenAiApi;
import io.llmgateway.testing.Reply;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An api backend in front of one fake upstream, Anthropic's or an OpenAI-compatible one, that answers every
 * request with one reply: a fault's harness, counting the requests that reach the upstream.
 */
final class FaultyUpstream implements AutoCloseable {

    /** Which upstream a case runs against. */
    enum Kind {
        /** The Messages API, model {@code claude-sonnet}. */
        ANTHROPIC,
        /** A relayed OpenAI-compatible upstream, model {@code gpt-4o-mini}, its models configured (no listing). */
        OPENAI
    }

    private final AutoCloseable fake;
    private final LongSupplier requests;
    private final ApiFixture backend;
    private final String model;

    private FaultyUpstream(AutoCloseable fake, LongSupplier requests, ApiFixture backend, String model) {
        this.fake = fake;
        this.requests = requests;
        this.backend = backend;
        this.model = model;
    }

    static FaultyUpstream start(Kind kind, Reply reply) {
        return start(kind, reply, Map.of());
    }

    static FaultyUpstream start(Kind kind, Reply reply, Map<String, String> settings) {
        return switch (kind) {
            case ANTHROPIC -> {
                FakeAnthropicApi api = FakeAnthropicApi.start().defaultReply(reply);
                yield new FaultyUpstream(api, api::requestCount, ApiFixture.start(with(settings, Map.of(
                        "ANTHROPIC_API_KEY", "sk-secret-key", "ANTHROPIC_BASE_URL", api.baseUrl()))), "claude-sonnet");
            }
            case OPENAI -> {
                FakeOpenAiApi api = FakeOpenAiApi.start().defaultReply(reply);
                yield new FaultyUpstream(api, api::requestCount, ApiFixture.start(with(settings, Map.of(
                        "LLM_OPENAI_BASE_URL", api.baseUrl(), "LLM_OPENAI_MODELS", "gpt-4o-mini"))), "gpt-4o-mini");
            }
        };
    }

    /** {@return the failure of one call, the observer seeing each delta it emitted first} */
    GatewayException failedCall(boolean stream, Instant deadline, ChatSink observer) {
        String ask = "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        return assertThrows(GatewayException.class, () -> backend.chat(ask, deadline, observer));
    }

    /** {@return how many requests reached the upstream} */
    long requests() {
        return requests.getAsLong();
    }

    List<String> logged() {
        return backend.logged();
    }

    @Override
    public void close() throws Exception {
        backend.close();
        fake.close();
    }

    private static Map<String, String> with(Map<String, String> extra, Map<String, String> base) {
        Map<String, String> all = new HashMap<>(base);
        all.putAll(extra);
        return all;
    }
}
