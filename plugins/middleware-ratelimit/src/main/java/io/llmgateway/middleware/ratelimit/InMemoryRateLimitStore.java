package io.llmgateway.middleware.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets in this gateway's memory. Each caller's buckets are decided under that caller's lock, so of N
 * simultaneous calls against a limit L exactly L get in.
 *
 * <p>Callers come and go (without auth they are client addresses, and pods change address whenever they
 * restart), so {@link #forgetFull} drops the buckets that have refilled completely: a caller who comes
 * back gets new, full buckets, which is exactly what it would have found.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {

    private final Map<String, Buckets> callers = new ConcurrentHashMap<>();

    @Override
    public Admission admit(String caller, Limits limits, long tokens, Instant now) {
        while (true) {
            Buckets buckets = callers.computeIfAbsent(caller, key -> new Buckets(limits, now));
            synchronized (buckets) {
                if (!buckets.forgotten) {
                    return admit(buckets, limits, tokens, now);
                }
            } // forgotten between the lookup and the lock: take the caller's new buckets
        }
    }

    /** Decides under the caller's lock. */
    private static Admission admit(Buckets buckets, Limits limits, long tokens, Instant now) {
        buckets.refill(limits, now);
        OptionalLong requestLimit = limits.requestsPerMinute();
        OptionalLong tokenLimit = limits.tokensPerMinute();
        if (requestLimit.isPresent() && !buckets.requests.hasRoom(1)) {
            return refused("requests", buckets.requests.until(1, requestLimit.getAsLong()), buckets, limits);
        }
        if (tokenLimit.isPresent() && !buckets.tokens.hasRoom(tokens)) {
            return refused("tokens", buckets.tokens.until(tokens, tokenLimit.getAsLong()), buckets, limits);
        }
        buckets.requests.take(1);
        buckets.tokens.take(tokens);
        return new Admission(true, Optional.empty(), state(buckets.requests, requestLimit),
                             state(buckets.tokens, tokenLimit), Duration.ZERO);
    }

    @Override
    public void correctTokens(String caller, Limits limits, long extra, Instant now) {
        Buckets buckets = callers.get(caller);
        if (buckets == null) {
            return;
        }
        synchronized (buckets) {
            buckets.refill(limits, now);
            buckets.tokens.take(extra);
        }
    }

    /**
     * Drops every caller whose buckets are full again, as a new caller's would be.
     *
     * @param now the time
     * @return how many callers were dropped
     */
    public int forgetFull(Instant now) {
        int forgotten = 0;
        for (Map.Entry<String, Buckets> caller : callers.entrySet()) {
            Buckets buckets = caller.getValue();
            synchronized (buckets) {
                buckets.refill(buckets.limits, now);
                if (buckets.full()) {
                    buckets.forgotten = true; // an admission waiting for this lock looks the caller up again
                    callers.remove(caller.getKey(), buckets);
                    forgotten++;
                }
            }
        }
        return forgotten;
    }

    /**
     * Callers with buckets now.
     *
     * @return the number of callers
     */
    public int callers() {
        return callers.size();
    }

    private static Admission refused(String limit, Duration retryAfter, Buckets buckets, Limits limits) {
        return new Admission(false, Optional.of(limit), state(buckets.requests, limits.requestsPerMinute()),
                             state(buckets.tokens, limits.tokensPerMinute()), retryAfter);
    }

    private static Optional<Bucket> state(TokenBucket bucket, OptionalLong limit) {
        return limit.isPresent() ? Optional.of(bucket.state(limit.getAsLong())) : Optional.empty();
    }

    /** One caller's two buckets; a missing limit leaves its bucket unused. */
    private static final class Buckets {
        private final TokenBucket requests;
        private final TokenBucket tokens;
        /** The limits they were last refilled to. */
        private Limits limits;
        /** Dropped from the store: whoever still holds them must look the caller up again. */
        private boolean forgotten;

        private Buckets(Limits limits, Instant now) {
            this.requests = new TokenBucket(limits.requestsPerMinute().orElse(0), now);
            this.tokens = new TokenBucket(limits.tokensPerMinute().orElse(0), now);
            this.limits = limits;
        }

        private void refill(Limits limits, Instant now) {
            this.limits = limits;
            limits.requestsPerMinute().ifPresent(limit -> requests.refill(limit, now));
            limits.tokensPerMinute().ifPresent(limit -> tokens.refill(limit, now));
        }

        private boolean full() {
            return (limits.requestsPerMinute().isEmpty() || requests.isFull(limits.requestsPerMinute().getAsLong()))
                    && (limits.tokensPerMinute().isEmpty() || tokens.isFull(limits.tokensPerMinute().getAsLong()));
        }
    }
}
