package io.llmgateway.middleware.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where callers' request and token counts live: in memory for one gateway
 * ({@link InMemoryRateLimitStore}), or shared by several replicas (a Redis store, so that a limit of 100
 * a minute is 100 for the whole fleet). Both kinds of count are token buckets that hold up to a minute's
 * limit and refill continuously at the limit's rate.
 */
public interface RateLimitStore {

    /**
     * Admits a call if both of the caller's buckets have room: then one request and {@code tokens}
     * tokens are taken, atomically; otherwise nothing is taken.
     *
     * @param caller the caller ({@code tenant:x} or {@code client:1.2.3.4})
     * @param limits the caller's limits
     * @param tokens the tokens to reserve
     * @param now    the current time
     * @return the decision and the buckets' state after it
     */
    Admission admit(String caller, Limits limits, long tokens, Instant now);

    /**
     * Corrects a reservation once the real usage is known.
     *
     * @param caller the caller
     * @param limits the caller's limits
     * @param extra  tokens to take in addition (negative: to give back)
     * @param now    the current time
     */
    void correctTokens(String caller, Limits limits, long extra, Instant now);

    /**
     * A decision.
     *
     * @param admitted   whether the call may go on
     * @param exceeded   when refused, which limit: {@code requests} or {@code tokens}
     * @param requests   the request bucket after the decision, if requests are limited
     * @param tokens     the token bucket after the decision, if tokens are limited
     * @param retryAfter when refused, how long until the call would fit
     */
    record Admission(boolean admitted, Optional<String> exceeded, Optional<Bucket> requests, Optional<Bucket> tokens,
                     Duration retryAfter) {
    }

    /**
     * A bucket's state, as OpenAI's headers report it.
     *
     * @param limit     the limit a minute
     * @param remaining what is left now
     * @param reset     how long until the bucket is full again
     */
    record Bucket(long limit, long remaining, Duration reset) {
    }
}
