package io.llmgateway.host.connection;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.llmgateway.api.PluginMetrics;

/**
 * Every open client connection, and the watchdog that closes those that overstay: idle past the idle
 * timeout, headers or a body arriving too slowly, a write blocked on a client that does not read. It also
 * drains them at shutdown. Counts open connections ({@code llm_connections}) and those it closed, by
 * reason ({@code llm_connections_closed_total}).
 */
public final class Connections {

    private static final Duration MIN_TICK = Duration.ofMillis(20);
    private static final Duration MAX_TICK = Duration.ofMillis(250);

    private final ConnectionLimits limits;
    private final Map<String, GuardedConnection> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Map<CloseReason, PluginMetrics.Counter> closed = new EnumMap<>(CloseReason.class);

    /**
     * Creates the registry and starts its watchdog on the scheduler.
     *
     * @param limits    the limits
     * @param metrics   where the connection meters go
     * @param scheduler runs the watchdog; stopping it stops the watchdog
     */
    public Connections(ConnectionLimits limits, PluginMetrics metrics, ScheduledExecutorService scheduler) {
        this.limits = limits;
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, metrics.counter("llm_connections_closed_total",
                                               "Client connections the gateway closed itself, by reason",
                                               Map.of("reason", reason.label())));
        }
        metrics.gauge("llm_connections", "Open client connections", open::size, Map.of());
        long tick = tick(limits).toMillis();
        scheduler.scheduleWithFixedDelay(this::closeOverstaying, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * The limits.
     *
     * @return the limits
     */
    public ConnectionLimits limits() {
        return limits;
    }

    /**
     * The connection a request came on.
     *
     * @param request the request
     * @return its connection; empty for requests that came without a socket (routing tests)
     */
    public Optional<GuardedConnection> of(ServerRequest request) {
        return Optional.ofNullable(open.get(request.socketId()));
    }

    /**
     * A filter to run first: it tells a request's connection when the request is over, which starts the
     * connection's idle time.
     *
     * @return the filter
     */
    public Filter requestBoundaries() {
        return (chain, request, response) -> {
            try {
                chain.proceed();
            } finally {
                of(request).ifPresent(GuardedConnection::requestDone);
            }
        };
    }

    /**
     * A filter that serves HEAD as GET without the body, on every route (Helidon routes HEAD only where
     * one is registered, and would send a body with it).
     *
     * @return the filter
     */
    public Filter headAsGet() {
        return (chain, request, response) -> {
            HttpPrologue prologue = request.prologue();
            if (prologue.method() == Method.HEAD) {
                of(request).ifPresent(GuardedConnection::answerWithoutBody);
                request.prologue(HttpPrologue.create(prologue.rawProtocol(), prologue.protocol(),
                                                     prologue.protocolVersion(), Method.GET, prologue.uriPath(),
                                                     prologue.query(), prologue.fragment()));
            }
            chain.proceed();
        };
    }

    /**
     * Stops idle connections at once and lets the others end after the request they are serving.
     */
    public void drain() {
        for (GuardedConnection connection : open.values()) {
            if (connection.idle()) {
                connection.closeFor(CloseReason.SHUTDOWN);
            } else {
                connection.finishAfterThisRequest();
            }
        }
    }

    /**
     * Waits until no connection is serving a request: a call that ended has still to write its last bytes
     * (a stream's final chunk) and pass the request's end.
     *
     * @param timeout how long at most
     * @return true when every open connection is idle
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.values().stream().allMatch(GuardedConnection::idle)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(MIN_TICK.toMillis());
        }
        return true;
    }

    /**
     * Closes every connection still open (the end of a shutdown's grace).
     */
    public void closeAll() {
        open.values().forEach(connection -> connection.closeFor(CloseReason.SHUTDOWN));
    }

    /**
     * How many connections are open.
     *
     * @return the count
     */
    public int count() {
        return open.size();
    }

    GuardedConnection open(ConnectionContext accepted, ServerConnectionSelector http1) {
        String id = accepted.childSocketId() + "#" + ids.incrementAndGet();
        GuardedConnection connection = GuardedConnection.open(accepted, id, this, http1);
        open.put(id, connection);
        return connection;
    }

    void remove(GuardedConnection connection) {
        open.remove(connection.childSocketId());
    }

    void closed(CloseReason reason) {
        closed.get(reason).increment();
    }

    private void closeOverstaying() {
        long now = System.nanoTime();
        for (GuardedConnection connection : open.values()) {
            CloseReason reason = connection.overstayed(now, limits);
            if (reason != null) {
                connection.closeFor(reason);
            }
        }
    }

    /** A tenth of the shortest timeout, so a timeout is kept to within 10% (within 20-250 ms). */
    private static Duration tick(ConnectionLimits limits) {
        Duration shortest = Stream.of(limits.idleTimeout(), limits.headerTimeout(), limits.bodyTimeout(),
                                      limits.sendTimeout())
                .min(Duration::compareTo)
                .orElseThrow()
                .dividedBy(10);
        return List.of(MIN_TICK, shortest, MAX_TICK).stream().sorted().toList().get(1);
    }
}
