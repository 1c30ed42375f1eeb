package io.llmgateway.backend.cli;

import java.time.Clock;
import java.util.Optional;

import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.GatewayException;

/**
 * Whether the pool can take requests at all, the 503s it answers when it cannot, and the health it reports
 * for that: shutting down, configured without sessions, or unable to start one (then {@code Retry-After} is
 * the time until the next spawn attempt). Not thread-safe: guarded by the pool's lock.
 */
final class Admission {

    private final CliSettings settings;
    private final PoolSessions sessions;
    private final SpawnBackoff backoff;
    private final Clock clock;

    Admission(CliSettings settings, PoolSessions sessions, SpawnBackoff backoff, Clock clock) {
        this.settings = settings;
        this.sessions = sessions;
        this.backoff = backoff;
        this.clock = clock;
    }

    /**
     * Refuses a request the pool cannot serve whatever it waits for.
     *
     * @param closed whether the pool is shutting down
     * @throws GatewayException 503 with the reason
     */
    void check(boolean closed) {
        if (closed) {
            throw unavailable("The gateway is shutting down");
        }
        if (settings.poolSize() + settings.maxOverflow() == 0) {
            throw unavailable("The cli backend has no sessions: LLM_POOL_SIZE and LLM_POOL_MAX_OVERFLOW are both 0");
        }
        Optional<String> failure = backoff.lastFailure();
        if (failure.isPresent() && sessions.live() == 0) {
            throw unavailable(failure.get());
        }
    }

    /** A 503 for a request that found every session busy, with the configured {@code Retry-After}. */
    GatewayException busy(String why) {
        return GatewayException.unavailable("All claude sessions are busy: " + why, Optional.of(settings.retryAfter()));
    }

    /** A 503 whose {@code Retry-After} is the time until the next spawn may be tried. */
    GatewayException unavailable(String message) {
        return GatewayException.unavailable(message, Optional.of(backoff.retryAfter(clock.instant(), settings.retryAfter())));
    }

    BackendHealth health(boolean closed) {
        if (closed) {
            return new BackendHealth(BackendHealth.State.DOWN, "shutting down");
        }
        long warm = sessions.warm();
        Optional<String> failure = backoff.lastFailure();
        if (warm > 0 || (settings.poolSize() == 0 && failure.isEmpty())) {
            return new BackendHealth(BackendHealth.State.UP, warm + " warm session(s)");
        }
        if (failure.isPresent() && sessions.starting() == 0) {
            return new BackendHealth(BackendHealth.State.DOWN, failure.get());
        }
        return new BackendHealth(BackendHealth.State.STARTING, "warming up " + settings.poolSize() + " session(s)");
    }
}
