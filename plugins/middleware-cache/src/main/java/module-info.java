/**
 * The response cache middleware ({@code cache}): answers a request it has seen before from memory,
 * streamed or not, by replaying the deltas the backend produced the first time. Keyed by the
 * canonical request (backend, model and every body field that changes the answer), per tenant unless
 * shared; bounded by time ({@code LLM_CACHE_TTL}) and by approximate size ({@code LLM_CACHE_MAX_BYTES}).
 * Caffeine is private to the plugin's module layer.
 */
module io.llmgateway.middleware.cache {
    requires io.llmgateway.api;
    requires com.github.benmanes.caffeine;

    provides io.llmgateway.api.MiddlewareProvider with io.llmgateway.middleware.cache.CacheMiddlewareProvider;
}
