package io.llmgateway.backend.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.Role;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.FakeClaudeCli;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.TestExchange;
import io.llmgateway.testing.TestPluginContext;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A cli backend created through its provider, running the fake CLI as real processes: settings and
 * fake behaviour per test, requests through {@link io.llmgateway.api.Backend#chat} as the host makes them.
 */
final class CliFixture implements AutoCloseable {

    private final CliBackend backend;
    private final TestPluginContext context;
    private final Path transcript;

    private CliFixture(CliBackend backend, TestPluginContext context, Path transcript) {
        this.backend = backend;
        this.context = context;
        this.transcript = transcript;
    }

    /**
     * Starts a backend.
     *
     * @param dir       a temporary directory for the launcher, the transcript and the sessions
     * @param settings  LLM_* settings on top of the test defaults (pool size 1, no overflow)
     * @param behaviour FAKE_CLI_* variables for the fake
     */
    static CliFixture start(Path dir, Map<String, String> settings, Map<String, String> behaviour) {
        return start(dir, settings, behaviour, CliBackendProvider.FAILED_LISTED);
    }

    /**
     * Starts a backend whose failed sessions stay listed for a given time (a minute in production).
     *
     * @param dir          a temporary directory for the launcher, the transcript and the sessions
     * @param settings     LLM_* settings on top of the test defaults (pool size 1, no overflow)
     * @param behaviour    FAKE_CLI_* variables for the fake
     * @param failedListed how long a failed session stays in {@code sessions()}
     */
    static CliFixture start(Path dir, Map<String, String> settings, Map<String, String> behaviour,
                            Duration failedListed) {
        Path transcript = dir.resolve("transcript.log");
        Map<String, String> fake = new HashMap<>(behaviour);
        fake.put("FAKE_CLI_TRANSCRIPT", transcript.toString());
        Map<String, String> config = new HashMap<>();
        config.put("LLM_CLI_COMMAND", FakeClaudeCli.launcher(dir, fake).toString());
        config.put("LLM_CLI_WORK_DIR", dir.resolve("sessions").toString());
        config.put("LLM_POOL_SIZE", "1");
        config.put("LLM_POOL_MAX_OVERFLOW", "0");
        config.put("PATH", System.getenv("PATH"));
        config.putAll(settings);
        TestPluginContext context = TestPluginContext.of(config);
        CliBackend backend = CliBackendProvider.create(context, failedListed);
        return new CliFixture(backend, context, transcript);
    }

    /**
     * Starts a backend on the real {@code claude} binary ({@link #realClaude()}), talking to a fake Anthropic
     * API through a wrapper script that sets its base URL and key.
     *
     * @param dir      a temporary directory for the wrapper and the sessions
     * @param api      the fake API
     * @param settings LLM_* settings on top of the test defaults (pool size 1, no overflow)
     */
    static CliFixture startReal(Path dir, FakeAnthropicApi api, Map<String, String> settings) {
        return startReal(dir, api, "ANTHROPIC_API_KEY", "sk-test", settings);
    }

    /**
     * Starts a backend on the real {@code claude} binary logged in with a subscription token: only then does the CLI
     * read the upstream's {@code anthropic-ratelimit-unified-*} headers, so only then does it report the usage limit.
     *
     * @param dir      a temporary directory for the wrapper and the sessions
     * @param api      the fake API
     * @param settings LLM_* settings on top of the test defaults (pool size 1, no overflow)
     */
    static CliFixture startRealSubscription(Path dir, FakeAnthropicApi api, Map<String, String> settings) {
        return startReal(dir, api, "CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-oat01-test", settings);
    }

    private static CliFixture startReal(Path dir, FakeAnthropicApi api, String credential, String value,
                                        Map<String, String> settings) {
        Path claude = realClaude().orElseThrow(() -> new IllegalStateException("no claude binary: set LLM_TEST_CLAUDE"));
        Path wrapper = dir.resolve("claude-against-fake-api");
        try {
            Files.writeString(wrapper, "#!/bin/sh\nexport ANTHROPIC_BASE_URL='" + api.baseUrl() + "'\n"
                    + "unset ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN CLAUDE_CODE_OAUTH_TOKEN\n"
                    + "export " + credential + "=" + value + "\nexec '" + claude + "' \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("LLM_CLI_COMMAND", wrapper.toString());
        config.put("LLM_CLI_WORK_DIR", dir.resolve("sessions").toString());
        config.put("LLM_POOL_SIZE", "1");
        config.put("LLM_POOL_MAX_OVERFLOW", "0");
        config.put(credential, value); // no login is copied into the sessions
        config.put("PATH", System.getenv("PATH"));
        config.putAll(settings);
        TestPluginContext context = TestPluginContext.of(config);
        return new CliFixture(CliBackendProvider.create(context, CliBackendProvider.FAILED_LISTED), context,
                              dir.resolve("no-transcript"));
    }

    /** The real {@code claude} binary named by {@code LLM_TEST_CLAUDE} (property or variable), if it is there. */
    static Optional<Path> realClaude() {
        String configured = System.getProperty("LLM_TEST_CLAUDE", System.getenv("LLM_TEST_CLAUDE"));
        return configured == null || configured.isBlank() || !Files.isExecutable(Path.of(configured))
                ? Optional.empty() : Optional.of(Path.of(configured));
    }

    CliBackend backend() {
        return backend;
    }

    /** Waits until the backend is UP (a warm session exists). */
    CliFixture awaitUp() {
        await(() -> backend.health().isUp(), Duration.ofSeconds(20), () -> "backend not UP: " + backend.health());
        return this;
    }

    Answer chat(String prompt) {
        return chat(request(prompt));
    }

    Answer chat(ChatRequest request) {
        return chat(request, Instant.now().plusSeconds(30), delta -> { });
    }

    /**
     * Serves one request; the observer sees each delta first and may throw to simulate a client that leaves.
     */
    Answer chat(ChatRequest request, Instant deadline, ChatSink observer) {
        RecordingSink sink = new RecordingSink(observer);
        TestExchange exchange = new TestExchange(request, deadline);
        backend.chat(exchange, sink);
        return new Answer(sink.deltas(), sink.completion(), exchange.annotations());
    }

    /** Serves one request through an exchange the test holds (to make its client leave, say). */
    Answer chat(TestExchange exchange) {
        RecordingSink sink = new RecordingSink();
        backend.chat(exchange, sink);
        return new Answer(sink.deltas(), sink.completion(), exchange.annotations());
    }

    List<SessionInfo> sessions() {
        return backend.sessions();
    }

    BackendHealth health() {
        return backend.health();
    }

    long counter(String name) {
        return context.counter(name);
    }

    double gauge(String name) {
        return context.gauge(name);
    }

    /** Every line the fake processes of this fixture received on stdin. */
    List<String> transcript() {
        try {
            return Files.exists(transcript) ? Files.readAllLines(transcript) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        backend.close();
        context.close();
    }

    static ChatRequest request(String prompt) {
        return request("claude-sonnet", List.of(ChatMessage.of(Role.USER, prompt)), List.of(), OptionalInt.empty(),
                       JsonValue.EMPTY_JSON_OBJECT);
    }

    static ChatRequest request(String model, List<ChatMessage> messages, List<String> stop, OptionalInt maxTokens,
                               JsonObject body) {
        return new ChatRequest(model, messages, maxTokens, OptionalDouble.empty(), OptionalDouble.empty(), stop, false,
                               false, Optional.empty(), OptionalLong.empty(), Map.of(), body);
    }

    /** A streamed request: its deltas reach the sink (the client) as the turn produces them. */
    static ChatRequest streamed(String prompt) {
        return new ChatRequest("claude-sonnet", List.of(ChatMessage.of(Role.USER, prompt)), OptionalInt.empty(),
                               OptionalDouble.empty(), OptionalDouble.empty(), List.of(), true, false, Optional.empty(),
                               OptionalLong.empty(), Map.of(), JsonValue.EMPTY_JSON_OBJECT);
    }

    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(failure.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /**
     * What one request produced.
     *
     * @param deltas      the deltas in order
     * @param completion  the deltas assembled
     * @param annotations the log fields the backend set
     */
    record Answer(List<ChatDelta> deltas, ChatCompletion completion, Map<String, String> annotations) {
        String text() {
            return completion.text();
        }

        long textDeltas() {
            return deltas.stream().filter(ChatDelta.Text.class::isInstance).count();
        }
    }
}
