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
 */
public final class InMemoryRateLimitStore implements RateLimitStore {

    private final Map<String, Buckets> callers = new ConcurrentHashMap<>();

    @Override
    public Admission admit(String caller, Limits limits, long tokens, Instant now) {
        Buckets buckets = callers.computeIfAbsent(caller, key -> new Buckets(limits, now));
        synchronized (buckets) {
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

        private Buckets(Limits limits, Instant now) {
            this.requests = new TokenBucket(limits.requestsPerMinute().orElse(0), now);
            this.tokens = new TokenBucket(limits.tokensPerMinute().orElse(0), now);
        }

        private void refill(Limits limits, Instant now) {
            limits.requestsPerMinute().ifPresent(limit -> requests.refill(limit, now));
            limits.tokensPerMinute().ifPresent(limit -> tokens.refill(limit, now));
        }
    }
}
