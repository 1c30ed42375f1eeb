package io.llmgateway.middleware.cache;

import java.time.Duration;
import java.util.List;

import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.Settings;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.ValueTypes;

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

    static final SettingSpec<Duration> TTL_SETTING = SettingSpec.of(
                    "ttl", ValueTypes.duration(), "how long an answer is kept; 0 turns the cache off")
            .env(TTL).defaultValue(Duration.ZERO);
    static final SettingSpec<Long> MAX_BYTES_SETTING = SettingSpec.of(
                    "max_bytes", ValueTypes.bytes(MIN_MAX_BYTES, Long.MAX_VALUE), "approximate memory for all answers")
            .env(MAX_BYTES).defaultValue(DEFAULT_MAX_BYTES);
    static final SettingSpec<Boolean> SHARED_SETTING = SettingSpec.of(
                    "shared", ValueTypes.bool(), "whether tenants share entries (false: each tenant has its own)")
            .env(SHARED).defaultValue(false);
    static final SettingSpec<Sampled> SAMPLED_SETTING = SettingSpec.of(
                    "sampled", ValueTypes.oneOf(Sampled.class),
                    "requests with a temperature above 0: cached like any other, or skipped")
            .env(SAMPLED).defaultValue(Sampled.CACHE);

    /** What the plugin declares. */
    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.middleware(
            "cache", SpiVersion.MAJOR, SpiVersion.MINOR, "an in-memory response cache (Caffeine), for replays and tests",
            List.of(TTL_SETTING, MAX_BYTES_SETTING, SHARED_SETTING, SAMPLED_SETTING));

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
     * @param settings the plugin's settings
     * @return the settings
     * @throws PluginConfigurationException naming the variable with a bad value
     */
    static CacheSettings from(Settings settings) {
        Duration ttl = settings.get(TTL_SETTING);
        long maxBytes = settings.get(MAX_BYTES_SETTING);
        boolean shared = settings.get(SHARED_SETTING);
        Sampled sampled = settings.get(SAMPLED_SETTING);
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
        SKIP
    }
}
