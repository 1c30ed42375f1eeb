package io.llmgateway.backend.api;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends upstream answers still being read past their deadline. A blocked socket read cannot be given
 * a deadline of its own, so one sweep every {@value #SWEEP_MILLIS} ms closes the answers whose
 * deadline passed, which fails the read at once; watching an answer costs a map entry rather than a
 * timer per call.
 */
final class UpstreamDeadlines implements AutoCloseable {

    static final long SWEEP_MILLIS = 50;

    private final Map<UpstreamBody, Instant> watched = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ScheduledFuture<?> sweep;

    UpstreamDeadlines(Clock clock, ScheduledExecutorService scheduler) {
        this.clock = clock;
        this.sweep = scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    void watch(UpstreamBody body, Instant deadline) {
        watched.put(body, deadline);
    }

    void forget(UpstreamBody body) {
        watched.remove(body);
    }

    private void sweep() {
        Instant now = clock.instant();
        watched.forEach((body, deadline) -> {
            if (!now.isBefore(deadline)) {
                watched.remove(body);
                body.expire();
            }
        });
    }

    @Override
    public void close() {
        sweep.cancel(false);
    }
}
