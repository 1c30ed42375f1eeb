package io.llmgateway.middleware.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Failed authentications per client address, as a token bucket: an address may fail {@code burst} times,
 * then once per {@code refill}. A success takes nothing and gives nothing back, so an attacker holding one
 * valid key cannot keep guessing others. An address is forgotten once its bucket is full again, and at most
 * {@value #MAX_ADDRESSES} are held (beyond that Caffeine evicts the rarely seen), so a flood of addresses stays
 * bounded.
 */
final class FailedAuthLimit {

    static final int MAX_ADDRESSES = 100_000;

    private final int burst;
    private final long refillNanos;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    FailedAuthLimit(int burst, Duration refill, Clock clock) {
        this.burst = burst;
        this.refillNanos = refill.toNanos();
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_ADDRESSES)
                .ticker(this::now)
                .expireAfter(new Expiry<String, Bucket>() {
                    @Override
                    public long expireAfterCreate(String address, Bucket bucket, long now) {
                        return untilFull(bucket);
                    }

                    @Override
                    public long expireAfterUpdate(String address, Bucket bucket, long now, long current) {
                        return untilFull(bucket);
                    }

                    @Override
                    public long expireAfterRead(String address, Bucket bucket, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    /**
     * Whether an address has failed too often to be heard now.
     *
     * @param address the client address
     * @return how long until it may try again, if it may not now
     */
    Optional<Duration> refusal(String address) {
        Bucket bucket = buckets.getIfPresent(address);
        if (bucket == null) {
            return Optional.empty();
        }
        double tokens = bucket.tokensAt(now(), burst, refillNanos);
        if (tokens >= 1) {
            return Optional.empty();
        }
        long wait = (long) Math.ceil((1 - tokens) * refillNanos);
        return Optional.of(Duration.ofSeconds(Math.max(1, (long) Math.ceil(wait / 1e9))));
    }

    /**
     * Notes a failed authentication.
     *
     * @param address the client address
     */
    void failed(String address) {
        long now = now();
        buckets.asMap().compute(address, (key, bucket) -> {
            double tokens = bucket == null ? burst : bucket.tokensAt(now, burst, refillNanos);
            return new Bucket(Math.max(0, tokens - 1), now);
        });
    }

    /** {@return how many addresses hold a bucket that is not full} */
    long failingAddresses() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private long untilFull(Bucket bucket) {
        return (long) ((burst - bucket.tokens()) * refillNanos);
    }

    private long now() {
        Instant instant = clock.instant();
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    /** Failures an address may still make, as of a time. */
    private record Bucket(double tokens, long updatedNanos) {
        double tokensAt(long now, int burst, long refillNanos) {
            return Math.min(burst, tokens + (double) (now - updatedNanos) / refillNanos);
        }
    }
}
