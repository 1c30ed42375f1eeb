package io.llmgateway.middleware.cache;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginConfigurationException;

import static java.util.Objects.requireNonNull;

/**
 * The cache's configuration.
 *
 * @param ttl      how long an answer is kept after it was stored ({@code LLM_CACHE_TTL}); zero: the cache is off
 * @param maxBytes the approximate memory all entries may take ({@code LLM_CACHE_MAX_BYTES})
 * @param shared   whether tenants share entries ({@code LLM_CACHE_SHARED})
 * @param sampled  what to do with requests that ask for sampling ({@code LLM_CACHE_SAMPLED})
 */
record CacheSettings(Duration ttl, long maxBytes, boolean shared, Sampled sampled) {

    static final String TTL = "LLM_CACHE_TTL";
    static final String MAX_BYTES = "LLM_CACHE_MAX_BYTES";
    static final String SHARED = "LLM_CACHE_SHARED";
    static final String SAMPLED = "LLM_CACHE_SAMPLED";

    /** 64 MiB. */
    static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /** Smaller than this and hardly an answer fits. */
    static final long MIN_MAX_BYTES = 4096;

    /**
     * Validates.
     */
    CacheSettings {
        requireNonNull(ttl, "ttl is null");
        requireNonNull(sampled, "sampled is null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
    }

    /**
     * Reads and checks every setting, whether the cache is on or not, so that a typo stops the gateway
     * instead of passing unnoticed.
     *
     * @param config the configuration
     * @return the settings
     * @throws PluginConfigurationException naming the variable with a bad value
     */
    static CacheSettings from(PluginConfig config) {
        Duration ttl = config.seconds(TTL, Duration.ZERO);
        long maxBytes = config.bytes(MAX_BYTES, DEFAULT_MAX_BYTES, MIN_MAX_BYTES);
        boolean shared = config.bool(SHARED, false);
        Sampled sampled = Sampled.of(config.value(SAMPLED));
        return new CacheSettings(ttl, maxBytes, shared, sampled);
    }

    /**
     * Whether the cache is on.
     *
     * @return true with a TTL above zero
     */
    boolean enabled() {
        return ttl.isPositive();
    }

    /**
     * The policy for requests that ask for sampling.
     */
    enum Sampled {
        /** Cache them like any other: replays are what development and tests want. */
        CACHE,
        /** Neither look up nor store requests with an explicit temperature above 0. */
        SKIP;

        static Sampled of(Optional<String> raw) {
            if (raw.isEmpty()) {
                return CACHE;
            }
            return switch (raw.get().strip().toLowerCase(Locale.ROOT)) {
                case "cache" -> CACHE;
                case "skip" -> SKIP;
                default -> throw new PluginConfigurationException(SAMPLED + " must be 'cache' or 'skip', got '"
                                                                          + raw.get() + "'");
            };
        }
    }
}
