package io.llmgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A fake of the Anthropic Messages API on loopback, for tests and benchmarks of code that calls the API
 * (the gateway's {@code api} backend, the real {@code claude} CLI pointed at it with
 * {@code ANTHROPIC_BASE_URL}).
 *
 * <p>It serves {@code POST /v1/messages} (with any query, e.g. the CLI's {@code ?beta=true}) and answers
 * everything else with a 404 error body. Each request gets, in this order of precedence: the next
 * {@linkplain #enqueue queued} reply, else what the {@linkplain #replyWith reply function} returns (unless
 * null), else the {@linkplain #defaultReply default reply}. A request without {@code model},
 * {@code messages} or {@code max_tokens} gets a 400 like the real API's. Every request, answered or not,
 * is {@linkplain #requests() recorded} unless recording is switched off.
 *
 * <p>It is the JDK's {@link HttpServer} on 127.0.0.1 and a free port, with one virtual thread per
 * exchange, so hundreds of concurrent streams are cheap. Replies are rendered to bytes once per model and
 * mode and reused; per request it parses the JSON body and writes bytes.
 *
 * <pre>{@code
 * try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
 *     api.enqueue(Reply.text("Hi", " there"), Reply.rateLimited(2));
 *     ... point the client at api.baseUrl() ...
 *     assertEquals("Say hi", api.awaitRequests(1, Duration.ofSeconds(5)).getFirst().lastUserText());
 * }
 * }</pre>
 */
public final class FakeAnthropicApi implements AutoCloseable {
    /** The reply when nothing else is set: four text deltas. */
    public static final Reply.Text DEFAULT_REPLY = Reply.text("Hello", " from", " the fake", " Anthropic API.");

    private static final String MESSAGES_PATH = "/v1/messages";
    private static final int PLAN_CACHE_LIMIT = 1024;

    static {
        // The JDK server reads these once, when its first instance starts; a value set by the user wins.
        // Server-sent events are many small writes: without TCP_NODELAY, Nagle's algorithm and delayed
        // acknowledgements stall each event by up to 40 ms.
        defaultProperty("sun.net.httpserver.nodelay", "true");
        // Beyond 200 idle keep-alive connections (the default) the server closes each connection after
        // its response, which a benchmark with hundreds of clients sees as a storm of read errors.
        defaultProperty("sun.net.httpserver.maxIdleConnections", "4096");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final RequestLog log = new RequestLog();
    private final Queue<Reply> queued = new ConcurrentLinkedQueue<>();
    private final Map<PlanKey, ReplyPlan> plans = new ConcurrentHashMap<>();
    private final AtomicLong messageNumbers = new AtomicLong();
    private final AtomicLong requestCount = new AtomicLong();
    private volatile Reply defaultReply = DEFAULT_REPLY;
    private volatile Function<RecordedRequest, Reply> replyFunction;
    private volatile boolean recording = true;

    private FakeAnthropicApi(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** {@return a running fake on 127.0.0.1 and a free port, answering {@link #DEFAULT_REPLY}} */
    public static FakeAnthropicApi start() {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            FakeAnthropicApi api = new FakeAnthropicApi(server, executor);
            server.createContext("/", api::handle);
            server.setExecutor(executor);
            server.start();
            return api;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the fake Anthropic API", e);
        }
    }

    /** {@return the URL to give a client as its base URL: {@code http://127.0.0.1:PORT}, no trailing slash} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** {@return the port the fake listens on} */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Sets the reply for requests that have no queued reply and no answer from the reply function. */
    public FakeAnthropicApi defaultReply(Reply reply) {
        this.defaultReply = Objects.requireNonNull(reply, "reply");
        return this;
    }

    /**
     * Queues replies for the next valid requests to {@code /v1/messages}, one request each, in order
     * (requests the fake rejects with a 400 or 404 take none).
     */
    public FakeAnthropicApi enqueue(Reply... replies) {
        for (Reply reply : replies) {
            queued.add(Objects.requireNonNull(reply, "reply"));
        }
        return this;
    }

    /**
     * Lets a function choose the reply per request, e.g. by {@link RecordedRequest#lastUserText()}; it is
     * asked when no queued reply is left and may return null for the default reply. Null removes it. It
     * runs on the request's thread, concurrently with other requests.
     */
    public FakeAnthropicApi replyWith(Function<RecordedRequest, Reply> function) {
        this.replyFunction = function;
        return this;
    }

    /** Switches recording on (the default) or off, e.g. for a benchmark that sends millions of requests. */
    public FakeAnthropicApi recording(boolean on) {
        this.recording = on;
        return this;
    }

    /** {@return the requests recorded so far, in arrival order} */
    public List<RecordedRequest> requests() {
        return log.snapshot();
    }

    /**
     * Waits until at least {@code count} requests are recorded.
     *
     * @return the recorded requests (possibly more than {@code count})
     * @throws AssertionError if fewer arrived within the timeout; the message lists those that did
     */
    public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
        try {
            return log.await(count, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for requests", e);
        }
    }

    /** Forgets the recorded requests. Queued replies stay queued. */
    public void clearRecorded() {
        log.clear();
    }

    /** {@return how many requests arrived since start, recorded or not} */
    public long requestCount() {
        return requestCount.get();
    }

    /** Stops the server: hung and streaming replies end by dropping their connections. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        requestCount.incrementAndGet();
        Instant receivedAt = Instant.now();
        JsonObject body = Jsons.parseObject(exchange.getRequestBody().readAllBytes());
        URI uri = exchange.getRequestURI();
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                lowerCaseNames(exchange), body == null ? JsonValue.EMPTY_JSON_OBJECT : body, receivedAt);
        if (recording) {
            log.add(request);
        }
        boolean disconnected = false;
        try {
            ReplyPlan plan = plan(request, body, uri.getPath());
            // a write that fails because close() dropped the connection is not the client's doing
            disconnected = !plan.send(exchange, messageNumbers.incrementAndGet(), closed) && closed.getCount() > 0;
        } catch (InterruptedException e) {
            throw new ReplyPlan.DropConnection();
        } finally {
            request.finish(disconnected);
        }
        exchange.close();
    }

    private ReplyPlan plan(RecordedRequest request, JsonObject body, String path) {
        if (!"POST".equals(request.method()) || !MESSAGES_PATH.equals(path)) {
            return ReplyRenderer.json(404, AnthropicEvents.error("not_found_error",
                    "Not found: " + request.method() + " " + path), Map.of());
        }
        String invalid = invalidField(body);
        if (invalid != null) {
            return ReplyRenderer.json(400, AnthropicEvents.error("invalid_request_error", invalid), Map.of());
        }
        String model = request.model();
        boolean stream = request.stream();
        Reply reply = chooseReply(request);
        PlanKey key = new PlanKey(reply, model, stream);
        ReplyPlan plan = plans.get(key);
        if (plan == null) {
            if (plans.size() >= PLAN_CACHE_LIMIT) {
                plans.clear();
            }
            plan = ReplyRenderer.render(reply, model, stream);
            plans.put(key, plan);
        }
        return plan;
    }

    private Reply chooseReply(RecordedRequest request) {
        Reply next = queued.poll();
        if (next != null) {
            return next;
        }
        Function<RecordedRequest, Reply> function = replyFunction;
        Reply chosen = null;
        try {
            chosen = function == null ? null : function.apply(request);
        } catch (RuntimeException e) {
            // a bug in a test's function: say so in the answer rather than dropping the connection
            e.printStackTrace();
            return Reply.apiError().withMessage("the fake's reply function failed: " + e);
        }
        return chosen != null ? chosen : defaultReply;
    }

    /** {@return the real API's message for a body that lacks a required field, or null if it has them} */
    private static String invalidField(JsonObject body) {
        if (body == null) {
            return "The request body is not valid JSON.";
        }
        if (Jsons.string(body, "model") == null) {
            return "model: Field required";
        }
        if (!(body.get("messages") instanceof JsonArray)) {
            return "messages: Field required";
        }
        if (!(body.get("max_tokens") instanceof JsonNumber maxTokens) || maxTokens.intValue() < 1) {
            return "max_tokens: Field required";
        }
        return null;
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    private static Map<String, List<String>> lowerCaseNames(HttpExchange exchange) {
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return Map.copyOf(headers);
    }

    /** Caches plans by reply identity: replies are values, but hashing their contents per request costs. */
    private record PlanKey(Reply reply, String model, boolean stream) {
        @Override
        public boolean equals(Object other) {
            return other instanceof PlanKey key && key.reply == reply && key.stream == stream && key.model.equals(model);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(reply) * 31 + model.hashCode()) * 2 + (stream ? 1 : 0);
        }
    }
}
