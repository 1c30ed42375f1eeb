package io.llmgateway.middleware.cache;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginMetrics;
import io.llmgateway.testing.TestPluginContext;

/**
 * test-support's {@link TestPluginContext} with a clock the test moves and metrics that keep their
 * tags, so that tests can check the label set of each counter.
 */
final class CacheContext implements PluginContext, AutoCloseable {

    private final TestPluginContext delegate;
    private final ManualClock clock = new ManualClock();
    private final Map<String, Map<Map<String, String>, AtomicLong>> counters = new ConcurrentHashMap<>();
    private final Map<String, Supplier<? extends Number>> gauges = new ConcurrentHashMap<>();

    private CacheContext(Map<String, String> config) {
        this.delegate = TestPluginContext.of(config);
    }

    static CacheContext of(Map<String, String> config) {
        return new CacheContext(config);
    }

    ManualClock manualClock() {
        return clock;
    }

    /** A counter's value for one tag set (0 if never counted). */
    long counter(String name, Map<String, String> tags) {
        AtomicLong value = counters.getOrDefault(name, Map.of()).get(tags);
        return value == null ? 0 : value.get();
    }

    /** A counter's value summed over its tag sets. */
    long counter(String name) {
        return counters.getOrDefault(name, Map.of()).values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** The tag sets a counter was registered with. */
    java.util.Set<Map<String, String>> tagSets(String name) {
        return Map.copyOf(counters.getOrDefault(name, Map.of())).keySet();
    }

    double gauge(String name) {
        return gauges.get(name).get().doubleValue();
    }

    @Override
    public String pluginName() {
        return delegate.pluginName();
    }

    @Override
    public PluginConfig config() {
        return delegate.config();
    }

    @Override
    public PluginMetrics metrics() {
        return new PluginMetrics() {
            @Override
            public Counter counter(String name, String description, Map<String, String> tags) {
                AtomicLong value = counters.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
                        .computeIfAbsent(Map.copyOf(tags), t -> new AtomicLong());
                return value::addAndGet;
            }

            @Override
            public Histogram histogram(String name, String description, double[] buckets, Map<String, String> tags) {
                return observed -> { };
            }

            @Override
            public void gauge(String name, String description, Supplier<? extends Number> value,
                              Map<String, String> tags) {
                gauges.put(name, value);
            }
        };
    }

    @Override
    public System.Logger logger() {
        return delegate.logger();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return delegate.scheduler();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
