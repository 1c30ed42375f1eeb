package io.llmgateway.backend.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginMetrics;
import io.llmgateway.api.Role;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.testing.FakeClaudeCli;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A cli backend created through its provider, running the fake CLI as real processes: settings and
 * fake behaviour per test, requests through {@link io.llmgateway.api.Backend#chat} as the host makes them.
 */
final class CliFixture implements AutoCloseable {

    private final CliBackend backend;
    private final ScheduledExecutorService scheduler;
    private final Path transcript;
    private final Map<String, AtomicLong> counters;

    private CliFixture(CliBackend backend, ScheduledExecutorService scheduler, Path transcript,
                       Map<String, AtomicLong> counters) {
        this.backend = backend;
        this.scheduler = scheduler;
        this.transcript = transcript;
        this.counters = counters;
    }

    /**
     * Starts a backend.
     *
     * @param dir       a temporary directory for the launcher, the transcript and the sessions
     * @param settings  LLM_* settings on top of the test defaults (pool size 1, no overflow)
     * @param behaviour FAKE_CLI_* variables for the fake
     */
    static CliFixture start(Path dir, Map<String, String> settings, Map<String, String> behaviour) {
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
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
        PluginContext context = new TestContext(key -> Optional.ofNullable(config.get(key)), scheduler,
                                                name -> counters.computeIfAbsent(name, n -> new AtomicLong()));
        CliBackend backend = (CliBackend) new CliBackendProvider().create(context);
        return new CliFixture(backend, scheduler, transcript, counters);
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
        List<ChatDelta> deltas = new ArrayList<>();
        FakeExchange exchange = new FakeExchange(request, deadline);
        backend.chat(exchange, delta -> {
            observer.emit(delta);
            deltas.add(delta);
        });
        return new Answer(deltas, ChatCompletion.of(deltas), exchange.annotations());
    }

    List<SessionInfo> sessions() {
        return backend.sessions();
    }

    BackendHealth health() {
        return backend.health();
    }

    long counter(String name) {
        return counters.getOrDefault(name, new AtomicLong()).get();
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
        scheduler.shutdownNow();
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

    private record TestContext(PluginConfig config, ScheduledExecutorService scheduler,
                               Function<String, AtomicLong> counters) implements PluginContext {
        @Override
        public String pluginName() {
            return "backend-cli";
        }

        @Override
        public PluginMetrics metrics() {
            return new PluginMetrics() {
                @Override
                public Counter counter(String name, String description, Map<String, String> tags) {
                    AtomicLong value = counters.apply(name);
                    return value::addAndGet;
                }

                @Override
                public Histogram histogram(String name, String description, double[] buckets, Map<String, String> tags) {
                    return observed -> { };
                }

                @Override
                public void gauge(String name, String description, Supplier<? extends Number> value,
                                  Map<String, String> tags) {
                }
            };
        }

        @Override
        public System.Logger logger() {
            return System.getLogger("test.backend-cli");
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }
    }

    private static final class FakeExchange implements ChatExchange {
        private final ChatRequest request;
        private final Instant deadline;
        private final Instant received = Instant.now();
        private final Map<String, String> annotations = new ConcurrentHashMap<>();

        private FakeExchange(ChatRequest request, Instant deadline) {
            this.request = request;
            this.deadline = deadline;
        }

        Map<String, String> annotations() {
            return annotations;
        }

        @Override
        public String requestId() {
            return "req_test";
        }

        @Override
        public ChatRequest request() {
            return request;
        }

        @Override
        public String backend() {
            return "cli";
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.empty();
        }

        @Override
        public String clientAddress() {
            return "127.0.0.1";
        }

        @Override
        public Optional<String> tenant() {
            return Optional.empty();
        }

        @Override
        public void tenant(String tenant) {
        }

        @Override
        public Instant received() {
            return received;
        }

        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public void responseHeader(String name, String value) {
        }

        @Override
        public void annotate(String key, String value) {
            annotations.put(key, value);
        }
    }
}
