package io.llmgateway.testing;

import java.text.MessageFormat;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginMetrics;
import io.llmgateway.api.TenantKeysFile;

/**
 * A {@link PluginContext} as the host makes one, for creating a plugin directly in a test: configuration
 * from a map (never the real environment), counters and gauges a test can read (with their tags), a clock
 * the test may control, its own scheduler (shut down by {@link #close()}), a logger whose lines a test can read.
 */
public final class TestPluginContext implements PluginContext, AutoCloseable {

    private final Map<String, String> config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final Map<String, Map<Map<String, String>, AtomicLong>> counters = new ConcurrentHashMap<>();
    private final Map<String, Supplier<? extends Number>> gauges = new ConcurrentHashMap<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final System.Logger logger = new RecordingLogger(System.getLogger("test.plugin"), logged);
    private volatile TenantKeysFile keysFile;

    private TestPluginContext(Map<String, String> config, Clock clock) {
        this.config = Map.copyOf(config);
        this.clock = clock;
    }

    /**
     * Creates a context on the system clock.
     *
     * @param config configuration keys and values
     * @return the context
     */
    public static TestPluginContext of(Map<String, String> config) {
        return new TestPluginContext(config, Clock.systemUTC());
    }

    /**
     * Creates a context on a given clock (a {@link ManualClock}, say).
     *
     * @param config configuration keys and values
     * @param clock  the clock the plugin gets
     * @return the context
     */
    public static TestPluginContext of(Map<String, String> config, Clock clock) {
        return new TestPluginContext(config, clock);
    }

    /**
     * Gives the plugin the host's keys file ({@link PluginContext#tenantKeysFile()}).
     *
     * @param file the file, such as a {@link FakeTenantKeysFile}
     * @return this context
     */
    public TestPluginContext tenantKeysFile(TenantKeysFile file) {
        this.keysFile = file;
        return this;
    }

    @Override
    public Optional<TenantKeysFile> tenantKeysFile() {
        return Optional.ofNullable(keysFile);
    }

    /**
     * The value of a counter the plugin registered (0 when it has not counted yet).
     *
     * @param name the metric name
     * @return its value, summed over its tag sets
     */
    public long counter(String name) {
        return counters.getOrDefault(name, Map.of()).values().stream().mapToLong(AtomicLong::get).sum();
    }

    /**
     * The value of a counter for one tag set.
     *
     * @param name the metric name
     * @param tags the tags
     * @return its value (0 when never counted)
     */
    public long counter(String name, Map<String, String> tags) {
        AtomicLong value = counters.getOrDefault(name, Map.of()).get(tags);
        return value == null ? 0 : value.get();
    }

    /**
     * The tag sets a counter was registered with.
     *
     * @param name the metric name
     * @return the tag sets
     */
    public Set<Map<String, String>> tagSets(String name) {
        return Set.copyOf(counters.getOrDefault(name, Map.of()).keySet());
    }

    /**
     * A gauge's current reading.
     *
     * @param name the metric name
     * @return its value
     */
    public double gauge(String name) {
        return gauges.get(name).get().doubleValue();
    }

    /**
     * What the plugin logged so far, one entry per call: the level's name, a space and the message (with a
     * throwable's class appended as {@code [thrown CLASS]}, which a one-line log must not have).
     *
     * @return the entries, oldest first
     */
    public List<String> logged() {
        return List.copyOf(logged);
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
                AtomicLong value = counters.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
                        .computeIfAbsent(Map.copyOf(tags), t -> new AtomicLong());
                return value::addAndGet;
            }

            @Override
            public Histogram histogram(String name, String description, double[] buckets, Map<String, String> tags) {
                return observed -> { };
            }

            @Override
            public void gauge(String name, String description, Supplier<? extends Number> value, Map<String, String> tags) {
                gauges.put(name, value);
            }
        };
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** Records every line it is given, and passes it on to the platform's logger. */
    private record RecordingLogger(System.Logger target, List<String> lines) implements System.Logger {
        @Override
        public String getName() {
            return target.getName();
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            lines.add(level.getName() + " " + message + (thrown == null ? "" : " [thrown " + thrown.getClass().getName() + "]"));
            target.log(level, bundle, message, thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level.getName() + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
            target.log(level, bundle, format, params);
        }
    }
}
