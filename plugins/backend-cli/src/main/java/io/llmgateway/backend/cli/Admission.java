package io.llmgateway.backend.cli;

import java.time.Clock;
import java.util.Optional;

import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

/**
 * Whether the pool can take requests at all, the 503s it answers when it cannot, and the health it reports
 * for that: shutting down, configured without sessions, or unable to start one (then {@code Retry-After} is
 * the time until the next spawn attempt, and the kind {@link FailureKind#DEPLOYMENT_BROKEN}: a missing command or
 * login does not pass by itself). The health also notes the subscription's usage limit (reached, or near), which
 * leaves it UP: the sessions are warm, the limit is the account's, and readiness must not take out a gateway that
 * can fall back to another deployment. Not thread-safe: guarded by the pool's lock.
 */
final class Admission {

    private final CliSettings settings;
    private final PoolSessions sessions;
    private final SpawnBackoff backoff;
    private final Allowance allowance;
    private final Clock clock;

    Admission(CliSettings settings, PoolSessions sessions, SpawnBackoff backoff, Allowance allowance, Clock clock) {
        this.settings = settings;
        this.sessions = sessions;
        this.backoff = backoff;
        this.allowance = allowance;
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
            throw cannotStart("The cli backend has no sessions: LLM_POOL_SIZE and LLM_POOL_MAX_OVERFLOW are both 0");
        }
        Optional<String> failure = backoff.lastFailure();
        if (failure.isPresent() && sessions.live() == 0) {
            throw cannotStart(failure.get());
        }
    }

    /** A 503 for a request that found every session busy, with the configured {@code Retry-After}. */
    GatewayException busy(String why) {
        return GatewayException.unavailable("All claude sessions are busy: " + why, Optional.of(settings.retryAfter()))
                .withFailureKind(FailureKind.OVERLOADED);
    }

    /**
     * A 503 for requests while no session can be started: the deployment is broken until a spawn succeeds.
     *
     * @param message why, for the operator
     * @return the failure, with the time until the next spawn attempt as {@code Retry-After}
     */
    GatewayException cannotStart(String message) {
        return unavailable(message).withFailureKind(FailureKind.DEPLOYMENT_BROKEN);
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
        // while the usage limit holds nothing is spawned, so fewer warm sessions than the pool's are no warming up
        if (warm > 0 || (settings.poolSize() == 0 && failure.isEmpty()) || allowance.holding(clock.instant()).isPresent()) {
            return new BackendHealth(BackendHealth.State.UP, warm + " warm session(s)"
                    + allowance.note(clock.instant()).map(note -> "; " + note).orElse(""));
        }
        if (failure.isPresent() && sessions.starting() == 0) {
            return new BackendHealth(BackendHealth.State.DOWN, failure.get());
        }
        return new BackendHealth(BackendHealth.State.STARTING, "warming up " + settings.poolSize() + " session(s)");
    }
}
