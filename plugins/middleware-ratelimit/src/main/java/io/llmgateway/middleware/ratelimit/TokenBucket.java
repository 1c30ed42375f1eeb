package io.llmgateway.middleware.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * A bucket holding up to {@code capacity} units that refills continuously, {@code capacity} a minute.
 * Not thread-safe: the store guards it. Corrections may take it below zero; it refills from there.
 */
final class TokenBucket {

    private static final double NANOS_PER_MINUTE = 60e9;

    private double level;
    private Instant updated;

    TokenBucket(long capacity, Instant now) {
        this.level = capacity;
        this.updated = now;
    }

    void refill(long capacity, Instant now) {
        // plain arithmetic rather than Duration.between: this runs twice on every request
        long elapsed = (now.getEpochSecond() - updated.getEpochSecond()) * 1_000_000_000L
                + (now.getNano() - updated.getNano());
        if (elapsed > 0) {
            level = Math.min(capacity, level + elapsed * capacity / NANOS_PER_MINUTE);
            updated = now;
        }
        if (level > capacity) {
            level = capacity; // the limit was lowered
        }
    }

    boolean hasRoom(long amount) {
        return level >= amount;
    }

    boolean isFull(long capacity) {
        return level >= capacity;
    }

    void take(long amount) {
        level -= amount;
    }

    /** How long until {@code amount} fits (never more than a full refill). */
    Duration until(long amount, long capacity) {
        double missing = Math.min(amount, capacity) - level;
        return missing <= 0 ? Duration.ZERO : nanos(missing, capacity);
    }

    RateLimitStore.Bucket state(long capacity) {
        return new RateLimitStore.Bucket(capacity, (long) Math.max(0, Math.floor(level)),
                                         level >= capacity ? Duration.ZERO : nanos(capacity - level, capacity));
    }

    private static Duration nanos(double units, long capacity) {
        return Duration.ofNanos((long) Math.ceil(units * NANOS_PER_MINUTE / capacity));
    }
}
