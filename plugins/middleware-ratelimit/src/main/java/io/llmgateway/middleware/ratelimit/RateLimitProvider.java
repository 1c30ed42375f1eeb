package io.llmgateway.middleware.ratelimit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;

/**
 * Provides the rate limit middleware when {@code LLM_RATE_LIMIT_RPM} or {@code LLM_RATE_LIMIT_TPM} is
 * set. Per-tenant overrides come from {@code LLM_API_KEYS_FILE} ({@code rpm=} and {@code tpm=} words).
 */
public final class RateLimitProvider implements MiddlewareProvider {

    /** After auth (it needs the tenant), before the cache (a cached answer still counts). */
    static final int WEIGHT = 200;

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    public Optional<Middleware> create(PluginContext context) {
        PluginConfig config = context.config();
        Limits defaults = new Limits(limit(config, "LLM_RATE_LIMIT_RPM"), limit(config, "LLM_RATE_LIMIT_TPM"));
        if (defaults.requestsPerMinute().isEmpty() && defaults.tokensPerMinute().isEmpty()) {
            return Optional.empty();
        }
        long completionEstimate = config.integer("LLM_RATE_LIMIT_COMPLETION_ESTIMATE", 512, 1, Integer.MAX_VALUE);
        Optional<TenantLimitsFile> file = config.value("LLM_API_KEYS_FILE")
                .map(path -> new TenantLimitsFile(Path.of(path), context.logger()));
        file.ifPresent(limitsFile -> {
            limitsFile.load(true);
            context.scheduler().scheduleWithFixedDelay(() -> limitsFile.load(false), 1, 1, TimeUnit.SECONDS);
        });
        InMemoryRateLimitStore store = new InMemoryRateLimitStore();
        context.metrics().gauge("llm_ratelimit_callers", "Callers (tenants, or client addresses without auth) the rate"
                + " limiter holds buckets for", store::callers, Map.of());
        // a bucket left alone for a minute is full again: no caller stays in memory much longer than that
        context.scheduler().scheduleWithFixedDelay(() -> store.forgetFull(context.clock().instant()), 1, 1,
                                                   TimeUnit.MINUTES);
        return Optional.of(new RateLimitMiddleware(store, defaults,
                                                   tenant -> file.flatMap(limitsFile -> limitsFile.limitsOf(tenant)),
                                                   completionEstimate, context.clock()));
    }

    private static OptionalLong limit(PluginConfig config, String key) {
        return config.value(key).isPresent()
                ? OptionalLong.of(config.integer(key, 0, 1, Integer.MAX_VALUE))
                : OptionalLong.empty();
    }
}
