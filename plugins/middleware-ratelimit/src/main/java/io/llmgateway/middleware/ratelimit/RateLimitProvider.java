package io.llmgateway.middleware.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.Settings;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.ValueTypes;

/**
 * Provides the rate limit middleware when {@code LLM_RATE_LIMIT_RPM} or {@code LLM_RATE_LIMIT_TPM} is
 * set. Per-tenant overrides come from the host's keys file ({@code rpm=} and {@code tpm=} words).
 */
public final class RateLimitProvider implements MiddlewareProvider {

    /** After auth (it needs the tenant), before the cache (a cached answer still counts). */
    static final int WEIGHT = 200;

    static final SettingSpec<Integer> RPM = SettingSpec.of(
                    "rpm", ValueTypes.integer(1, Integer.MAX_VALUE),
                    "requests per minute per tenant (per client address without auth); unset: not limited")
            .env("LLM_RATE_LIMIT_RPM");
    static final SettingSpec<Integer> TPM = SettingSpec.of(
                    "tpm", ValueTypes.integer(1, Integer.MAX_VALUE),
                    "tokens (prompt plus completion) per minute per tenant; unset: not limited")
            .env("LLM_RATE_LIMIT_TPM");
    static final SettingSpec<Integer> COMPLETION_ESTIMATE = SettingSpec.of(
                    "completion_estimate", ValueTypes.integer(1, Integer.MAX_VALUE),
                    "tokens reserved for the answer of a request without max_tokens")
            .env("LLM_RATE_LIMIT_COMPLETION_ESTIMATE").defaultValue(512);
    /** What the plugin declares; per-tenant limits come from the host's keys file. */
    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.middleware(
            "ratelimit", SpiVersion.MAJOR, SpiVersion.MINOR,
            "requests and tokens per minute per tenant, as token buckets, with OpenAI's x-ratelimit-* headers",
            List.of(RPM, TPM, COMPLETION_ESTIMATE));

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Middleware> create(PluginContext context) {
        Settings settings = context.settings();
        Limits defaults = new Limits(limit(settings, RPM), limit(settings, TPM));
        long completionEstimate = settings.get(COMPLETION_ESTIMATE);
        if (defaults.requestsPerMinute().isEmpty() && defaults.tokensPerMinute().isEmpty()) {
            return Optional.empty();
        }
        Optional<TenantLimits> tenants = context.tenantKeysFile().map(file -> TenantLimits.follow(file, context.logger()));
        InMemoryRateLimitStore store = new InMemoryRateLimitStore();
        context.metrics().gauge("llm_ratelimit_callers", "Callers (tenants, or client addresses without auth) the rate"
                + " limiter holds buckets for", store::callers, Map.of());
        // a bucket left alone for a minute is full again: no caller stays in memory much longer than that
        context.scheduler().scheduleWithFixedDelay(() -> store.forgetFull(context.clock().instant()), 1, 1,
                                                   TimeUnit.MINUTES);
        return Optional.of(new RateLimitMiddleware(store, defaults,
                                                   tenant -> tenants.flatMap(limits -> limits.limitsOf(tenant)),
                                                   completionEstimate, context.clock()));
    }

    private static OptionalLong limit(Settings settings, SettingSpec<Integer> spec) {
        return settings.find(spec).map(value -> OptionalLong.of(value)).orElse(OptionalLong.empty());
    }
}
