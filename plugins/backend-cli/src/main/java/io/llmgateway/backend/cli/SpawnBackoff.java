package io.llmgateway.backend.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Failing spawns back off, from a second to a minute, so a CLI that cannot start never spins; after a failure
 * the pool probes with one spawn at a time. Keeps the last failure, in words, for health and for errors.
 * Not thread-safe: guarded by the pool's lock.
 */
final class SpawnBackoff {

    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(60);

    private int failuresInARow;
    private Instant nextAttemptAt = Instant.MIN;
    private String lastFailure;

    /** Whether a spawn may start now. */
    boolean allows(Instant now) {
        return !now.isBefore(nextAttemptAt);
    }

    /** Whether the last spawn failed: then only one is tried at a time. */
    boolean probing() {
        return failuresInARow > 0;
    }

    /**
     * Notes a failed spawn.
     *
     * @param why what went wrong, in words
     * @param now the time
     * @return how long until the next attempt
     */
    Duration failed(String why, Instant now) {
        failuresInARow++;
        Duration delay = FIRST.multipliedBy(1L << Math.min(failuresInARow - 1, 10));
        Duration backoff = delay.compareTo(MAX) > 0 ? MAX : delay;
        nextAttemptAt = now.plus(backoff);
        lastFailure = why;
        return backoff;
    }

    /** Blocks spawns for the longest backoff, for a problem known before any attempt (no command). */
    void blocked(String why, Instant now) {
        failuresInARow = 1;
        nextAttemptAt = now.plus(MAX);
        lastFailure = why;
    }

    void succeeded() {
        failuresInARow = 0;
        lastFailure = null;
    }

    Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** How long a client should wait: until the next attempt, or the fallback when one may start now. */
    Duration retryAfter(Instant now, Duration fallback) {
        Duration wait = Duration.between(now, nextAttemptAt);
        return wait.isNegative() ? fallback : wait;
    }
}
