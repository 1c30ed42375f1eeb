/**
 * The rate limit middleware ({@code ratelimit}): requests and tokens per minute per tenant (per client
 * address without auth), admitted exactly under concurrency, with tokens reserved before a call and
 * corrected with its real usage after; OpenAI's {@code x-ratelimit-*} headers on every answer. The
 * counters sit behind {@link io.llmgateway.middleware.ratelimit.RateLimitStore} so that a shared store
 * (Redis) can replace the in-memory one.
 */
module io.llmgateway.middleware.ratelimit {
    requires io.llmgateway.api;

    exports io.llmgateway.middleware.ratelimit;

    provides io.llmgateway.api.MiddlewareProvider with io.llmgateway.middleware.ratelimit.RateLimitProvider;
}
