package io.llmgateway.testkit;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.PluginMetrics;
import io.llmgateway.api.SettingSource;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.Settings;

/**
 * A {@link PluginContext} as the host makes one: the settings are bound through the plugin's descriptor from
 * environment variables given as a map (never the real environment), so an unusable value fails here as it
 * would stop the gateway, and {@link #config()} holds only the variables the descriptor declares. Counters are
 * kept for a test to read; the scheduler is its own ({@link #close()} stops it).
 */
public final class FakePluginContext implements PluginContext, AutoCloseable {

    private final PluginDescriptor descriptor;
    private final Map<String, String> declared;
    private final Settings settings;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    private FakePluginContext(PluginDescriptor descriptor, Map<String, String> environment, Clock clock) {
        this.descriptor = descriptor;
        Set<String> variables = descriptor.settings().stream().map(SettingSpec::env).flatMap(Optional::stream)
                .collect(Collectors.toSet());
        this.declared = environment.entrySet().stream().filter(entry -> variables.contains(entry.getKey()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        this.settings = Settings.bind(descriptor.settings(), SettingSource.environment(declared));
        this.clock = clock;
    }

    /**
     * A context on the system clock.
     *
     * @param descriptor  the plugin's descriptor
     * @param environment environment variables and their values
     * @return the context
     * @throws io.llmgateway.api.PluginConfigurationException naming the first unusable setting
     */
    public static FakePluginContext of(PluginDescriptor descriptor, Map<String, String> environment) {
        return new FakePluginContext(descriptor, environment, Clock.systemUTC());
    }

    /**
     * A context on a clock of the test's.
     *
     * @param descriptor  the plugin's descriptor
     * @param environment environment variables and their values
     * @param clock       the clock
     * @return the context
     */
    public static FakePluginContext of(PluginDescriptor descriptor, Map<String, String> environment, Clock clock) {
        return new FakePluginContext(descriptor, environment, clock);
    }

    /**
     * A counter's value, summed over its tags.
     *
     * @param name the metric name
     * @return the value, 0 when never counted
     */
    public long counter(String name) {
        AtomicLong value = counters.get(name);
        return value == null ? 0 : value.get();
    }

    @Override
    public String pluginName() {
        return descriptor.name();
    }

    @Override
    public PluginConfig config() {
        return key -> Optional.ofNullable(declared.get(key)).filter(value -> !value.isBlank());
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public PluginMetrics metrics() {
        return new PluginMetrics() {
            @Override
            public Counter counter(String name, String description, Map<String, String> tags) {
                return counters.computeIfAbsent(name, n -> new AtomicLong())::addAndGet;
            }

            @Override
            public Histogram histogram(String name, String description, double[] buckets, Map<String, String> tags) {
                return value -> { };
            }

            @Override
            public void gauge(String name, String description, Supplier<? extends Number> value, Map<String, String> tags) {
                // read at scrape time by the host; nothing scrapes here
            }
        };
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("io.llmgateway.plugin." + descriptor.name());
    }

    /** Created when first asked for, so a plugin that schedules nothing leaves no thread behind. */
    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newScheduledThreadPool(1, runnable -> {
                Thread thread = new Thread(runnable, "fake-plugin-context-" + descriptor.name());
                thread.setDaemon(true);
                return thread;
            });
        }
        return scheduler;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
