package io.llmgateway.middleware.cache;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.PluginMetrics;

import com.github.benmanes.caffeine.cache.Ticker;

import static java.lang.System.Logger.Level.INFO;

/**
 * Provides the response cache when {@code LLM_CACHE_TTL} is above zero (see {@link CacheSettings} for
 * every setting). It runs after auth (300) and the rate limit (200), so a hit is still authenticated and
 * counted against the caller's request rate, and right before the backend.
 */
public final class CacheMiddlewareProvider implements MiddlewareProvider {

    /** After auth (300) and rate limiting (200), before the backend. */
    static final int WEIGHT = 100;

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    public PluginDescriptor descriptor() {
        return CacheSettings.DESCRIPTOR;
    }

    @Override
    public Optional<Middleware> create(PluginContext context) {
        CacheSettings settings = CacheSettings.from(context.settings());
        if (!settings.enabled()) {
            return Optional.empty();
        }
        CacheMiddleware middleware = new CacheMiddleware(settings, new CacheCounters(context.metrics()),
                                                         ticker(context.clock()));
        PluginMetrics metrics = context.metrics();
        metrics.gauge("llm_cache_entries", "Answers held by the response cache", middleware::entries, Map.of());
        metrics.gauge("llm_cache_bytes", "Approximate memory the response cache's answers take (LLM_CACHE_MAX_BYTES"
                + " bounds it)", middleware::bytes, Map.of());
        context.logger().log(INFO, () -> "response cache on: ttl " + settings.ttl().toMillis() / 1000.0 + " s, max "
                + settings.maxBytes() + " bytes, " + (settings.shared() ? "shared by all tenants" : "per tenant")
                + ", sampled requests: " + settings.sampled().name().toLowerCase(java.util.Locale.ROOT));
        return Optional.of(middleware);
    }

    /**
     * Expiry time from the plugin's clock, so tests can move it; the system clock (which may step when
     * NTP corrects it) is replaced by the monotonic {@link System#nanoTime()}.
     */
    static Ticker ticker(Clock clock) {
        if (clock.withZone(ZoneOffset.UTC).equals(Clock.systemUTC())) {
            return Ticker.systemTicker();
        }
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
