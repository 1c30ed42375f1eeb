package io.llmgateway.testing;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginMetrics;

/**
 * A {@link PluginContext} as the host makes one, for creating a plugin directly in a test: configuration
 * from a map (never the real environment), counters a test can read, its own scheduler (shut down by
 * {@link #close()}).
 */
public final class TestPluginContext implements PluginContext, AutoCloseable {

    private final Map<String, String> config;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    private TestPluginContext(Map<String, String> config) {
        this.config = Map.copyOf(config);
    }

    /**
     * Creates a context.
     *
     * @param config configuration keys and values
     * @return the context
     */
    public static TestPluginContext of(Map<String, String> config) {
        return new TestPluginContext(config);
    }

    /**
     * The value of a counter the plugin registered (0 when it has not counted yet).
     *
     * @param name the metric name
     * @return its value, summed over tags
     */
    public long counter(String name) {
        return counters.getOrDefault(name, new AtomicLong()).get();
    }

    @Override
    public String pluginName() {
        return "test";
    }

    @Override
    public PluginConfig config() {
        return key -> Optional.ofNullable(config.get(key)).filter(value -> !value.isBlank());
    }

    @Override
    public PluginMetrics metrics() {
        return new PluginMetrics() {
            @Override
            public Counter counter(String name, String description, Map<String, String> tags) {
                AtomicLong value = counters.computeIfAbsent(name, n -> new AtomicLong());
                return value::addAndGet;
            }

            @Override
            public Histogram histogram(String name, String description, double[] buckets, Map<String, String> tags) {
                return observed -> { };
            }

            @Override
            public void gauge(String name, String description, Supplier<? extends Number> value, Map<String, String> tags) {
            }
        };
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("test.plugin");
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
