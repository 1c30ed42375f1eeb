package io.llmgateway.middleware.cache;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.testing.ManualClock;
import io.llmgateway.testing.TestPluginContext;
import io.llmgateway.testkit.SettingsTable;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache's settings and where it sits in the chain.
 */
final class TestCacheSettings {

    @Test
    void theReadmesSettingsTableIsTheDescriptors() {
        SettingsTable.assertReadmeMatches(CacheSettings.DESCRIPTOR, Path.of("README.md"));
    }

    @Test
    void nameAndWeightPutItAfterAuthAndRateLimit() {
        CacheMiddlewareProvider provider = new CacheMiddlewareProvider();

        assertEquals("cache", provider.name());
        assertEquals(100, provider.weight());
    }

    @Test
    void defaults() {
        CacheSettings settings = settings(Map.of(CacheSettings.TTL, "30"));

        assertEquals(Duration.ofSeconds(30), settings.ttl());
        assertEquals(64L * 1024 * 1024, settings.maxBytes());
        assertFalse(settings.shared());
        assertEquals(CacheSettings.Sampled.CACHE, settings.sampled());
        assertTrue(settings.enabled());
        assertFalse(settings(Map.of()).enabled());
    }

    @Test
    void everySetting() {
        CacheSettings settings = settings(Map.of(CacheSettings.TTL, "0.25", CacheSettings.MAX_BYTES, "512k",
                                                 CacheSettings.SHARED, "yes", CacheSettings.SAMPLED, "SKIP"));

        assertEquals(Duration.ofMillis(250), settings.ttl());
        assertEquals(512 * 1024, settings.maxBytes());
        assertTrue(settings.shared());
        assertEquals(CacheSettings.Sampled.SKIP, settings.sampled());
    }

    @Test
    void byteCounts() {
        assertEquals(1_000_000, maxBytes("1000000"));
        assertEquals(8 * 1024, maxBytes("8K"));
        assertEquals(8 * 1024, maxBytes("8 KiB"));
        assertEquals(64L * 1024 * 1024, maxBytes("64m"));
        assertEquals(3L * 1024 * 1024 * 1024, maxBytes("3g"));
    }

    @Test
    void badValuesNameTheirVariable() {
        for (Map<String, String> config : java.util.List.of(
                Map.of(CacheSettings.TTL, "-1"),
                Map.of(CacheSettings.TTL, "soon"),
                Map.of(CacheSettings.TTL, "60", CacheSettings.MAX_BYTES, "lots"),
                Map.of(CacheSettings.TTL, "60", CacheSettings.MAX_BYTES, "100"),
                Map.of(CacheSettings.TTL, "60", CacheSettings.MAX_BYTES, "99999999999g"),
                Map.of(CacheSettings.TTL, "60", CacheSettings.SHARED, "maybe"),
                Map.of(CacheSettings.TTL, "60", CacheSettings.SAMPLED, "sometimes"),
                Map.of(CacheSettings.SAMPLED, "sometimes"))) {
            PluginConfigurationException e = assertThrows(PluginConfigurationException.class, () -> create(config));
            String variable = config.keySet().stream().filter(key -> !config.get(key).equals("60")).findFirst().orElseThrow();
            assertTrue(e.getMessage().startsWith(variable), e.getMessage());
        }
    }

    @Test
    void theSystemClockExpiresByTheMonotonicTicker() {
        assertSame(Ticker.systemTicker(), CacheMiddlewareProvider.ticker(Clock.systemUTC()));
        assertSame(Ticker.systemTicker(), CacheMiddlewareProvider.ticker(Clock.system(ZoneId.of("Europe/Oslo"))));
        ManualClock manual = new ManualClock();
        Ticker ticker = CacheMiddlewareProvider.ticker(manual);
        assertNotSame(Ticker.systemTicker(), ticker);
        long before = ticker.read();
        manual.advance(Duration.ofNanos(1_500));
        assertEquals(1_500, ticker.read() - before);
    }

    private static void create(Map<String, String> config) {
        try (TestPluginContext context = TestPluginContext.of(config)) {
            new CacheMiddlewareProvider().create(context);
        }
    }

    private static long maxBytes(String value) {
        return settings(Map.of(CacheSettings.MAX_BYTES, value)).maxBytes();
    }

    private static CacheSettings settings(Map<String, String> config) {
        try (TestPluginContext context = TestPluginContext.of(config)) {
            return CacheSettings.from(context.settings());
        }
    }
}
