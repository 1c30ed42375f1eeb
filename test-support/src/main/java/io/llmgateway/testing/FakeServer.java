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

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The HTTP side the fake APIs share: the JDK's {@link HttpServer} on 127.0.0.1 with one virtual thread
 * per exchange, so hundreds of concurrent streams are cheap; the choice of a reply per request (the next
 * queued one, else the reply function's, else the default); the recording of requests; and a cache of
 * rendered replies, so that per request it parses the JSON body and writes bytes. What differs between
 * the APIs (which requests they answer on their own, how they render a reply) is their {@link Dialect}.
 *
 * @param <V> what of a request besides the reply decides the rendered bytes, e.g. its model and whether
 *            it streams: a value with {@code equals} and {@code hashCode}
 */
final class FakeServer<V> implements AutoCloseable {
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

    /** What one fake API does with a request the server received. */
    interface Dialect<V> {
        /**
         * {@return the API's own answer to a request that takes no reply (an unknown path, a missing field,
         * a missing key, a listing), or null for a request that takes a reply}
         *
         * @param body the request's JSON body, or null if it is not a JSON object
         * @param path the request's path without its query
         */
        ReplyPlan ownAnswer(RecordedRequest request, JsonObject body, String path);

        /** {@return what of this request besides the reply decides the rendered bytes} */
        V variant(RecordedRequest request);

        /** {@return the reply rendered for requests of this variant} */
        ReplyPlan render(Reply reply, V variant);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Dialect<V> dialect;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final RequestLog log = new RequestLog();
    private final Queue<Reply> queued = new ConcurrentLinkedQueue<>();
    private final Map<PlanKey<V>, ReplyPlan> plans = new ConcurrentHashMap<>();
    private final AtomicLong responseNumbers = new AtomicLong();
    private final AtomicLong requestCount = new AtomicLong();
    private volatile Reply defaultReply;
    private volatile Function<RecordedRequest, Reply> replyFunction;
    private volatile boolean recording = true;

    private FakeServer(HttpServer server, ExecutorService executor, Dialect<V> dialect, Reply defaultReply) {
        this.server = server;
        this.executor = executor;
        this.dialect = dialect;
        this.defaultReply = defaultReply;
    }

    /**
     * {@return a running server on 127.0.0.1}
     *
     * @param name what to call the fake in an error message, e.g. {@code the fake OpenAI API}
     * @param port the port, 0 for a free one
     */
    static <V> FakeServer<V> start(String name, int port, Dialect<V> dialect, Reply defaultReply) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
            FakeServer<V> fake = new FakeServer<>(server, executor, dialect, defaultReply);
            server.createContext("/", fake::handle);
            server.setExecutor(executor);
            server.start();
            return fake;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start " + name + " on port " + port, e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void defaultReply(Reply reply) {
        this.defaultReply = Objects.requireNonNull(reply, "reply");
    }

    void enqueue(Reply... replies) {
        for (Reply reply : replies) {
            queued.add(Objects.requireNonNull(reply, "reply"));
        }
    }

    void replyWith(Function<RecordedRequest, Reply> function) {
        this.replyFunction = function;
    }

    void recording(boolean on) {
        this.recording = on;
    }

    List<RecordedRequest> requests() {
        return log.snapshot();
    }

    List<RecordedRequest> awaitRequests(int count, Duration timeout) {
        try {
            return log.await(count, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for requests", e);
        }
    }

    void clearRecorded() {
        log.clear();
    }

    long requestCount() {
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
            ReplyPlan plan = dialect.ownAnswer(request, body, uri.getPath());
            if (plan == null) {
                plan = rendered(chooseReply(request), dialect.variant(request));
            }
            // a write that fails because close() dropped the connection is not the client's doing
            disconnected = !plan.send(exchange, responseNumbers.incrementAndGet(), closed) && closed.getCount() > 0;
        } catch (InterruptedException e) {
            throw new ReplyPlan.DropConnection();
        } finally {
            request.finish(disconnected);
        }
        exchange.close();
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

    private ReplyPlan rendered(Reply reply, V variant) {
        PlanKey<V> key = new PlanKey<>(reply, variant);
        ReplyPlan plan = plans.get(key);
        if (plan == null) {
            if (plans.size() >= PLAN_CACHE_LIMIT) {
                plans.clear();
            }
            plan = dialect.render(reply, variant);
            plans.put(key, plan);
        }
        return plan;
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
    private record PlanKey<V>(Reply reply, V variant) {
        @Override
        public boolean equals(Object other) {
            return other instanceof PlanKey<?> key && key.reply == reply && key.variant.equals(variant);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(reply) * 31 + variant.hashCode();
        }
    }
}
