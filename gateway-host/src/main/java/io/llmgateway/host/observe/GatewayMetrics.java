package io.llmgateway.host.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionStatisticsConfig;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MeterRegistryFormatter;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.metrics.spi.MeterRegistryFormatterProvider;
import io.llmgateway.api.PluginMetrics;
import io.llmgateway.api.SessionInfo;

/**
 * The gateway's meters, kept in a Helidon {@link MeterRegistry} of its own and exported in Prometheus
 * text format. The request meters are looked up per label set from a map, so recording a request costs
 * two map reads and no registry work.
 */
public final class GatewayMetrics {

    /** Session states as backends report them; each gets a {@code llm_sessions_total} series. */
    public static final List<String> SESSION_STATES = List.of("starting", "idle", "busy", "awaiting_tools", "stopping",
                                                             "failed");

    private static final double[] DURATION_BUCKETS = {
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
    private static final String SECONDS = "_seconds";
    /** The label value for an unknown tenant, backend or model. */
    public static final String NONE = "none";

    /** Helidon adds a {@code scope="application"} label to every series; queries can ignore it. */
    private static final MetricsConfig CONFIG = MetricsConfig.create();

    private final MeterRegistry registry;
    private final MeterRegistryFormatterProvider formatterProvider;
    private final Map<RequestKey, Counter> requestCounters = new ConcurrentHashMap<>();
    private final Map<DurationKey, Timer> durations = new ConcurrentHashMap<>();
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    private GatewayMetrics(MeterRegistry registry, MeterRegistryFormatterProvider formatterProvider) {
        this.registry = registry;
        this.formatterProvider = formatterProvider;
    }

    /**
     * Creates the meters that exist from start-up.
     *
     * @param sessions reads every backend's sessions (for {@code llm_sessions_total})
     * @return the metrics
     */
    public static GatewayMetrics create(Supplier<List<SessionInfo>> sessions) {
        MeterRegistry registry = MeterRegistry.create(CONFIG);
        MeterRegistryFormatterProvider formatter = ServiceLoader.load(MeterRegistryFormatterProvider.class)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Helidon metrics formatter on the module path"));
        GatewayMetrics metrics = new GatewayMetrics(registry, formatter);
        for (String state : SESSION_STATES) {
            metrics.register(Gauge.builder("llm_sessions_total", () -> countSessions(sessions, state))
                                         .description("Backend sessions by state")
                                         .tags(List.of(Tag.create("status", state))));
        }
        // the cache plugin counts per tenant and model; these zero series make the metrics exist from start-up
        List<Tag> noTenantNoModel = List.of(Tag.create("tenant", NONE), Tag.create("model", NONE));
        metrics.register(Counter.builder("llm_cache_hits_total").description("Answers served from the response cache")
                                     .tags(noTenantNoModel));
        metrics.register(Counter.builder("llm_cache_misses_total")
                                     .description("Cacheable requests the response cache could not answer")
                                     .tags(noTenantNoModel));
        return metrics;
    }

    /**
     * The counter of request log lines dropped because stdout did not keep up.
     *
     * @return what to call for each dropped line
     */
    public Runnable droppedLogLines() {
        Counter counter = register(Counter.builder("llm_log_lines_dropped_total")
                                           .description("Request log lines dropped because stdout did not keep up"));
        return counter::increment;
    }

    /**
     * Makes the request series of a model visible before its first request (at zero).
     *
     * @param backend the backend type
     * @param model   a model it lists
     */
    public void prepare(String backend, String model) {
        requestCounter(200, backend, model, NONE);
        duration(backend, model);
    }

    /**
     * Records one finished chat request.
     *
     * @param status  the HTTP status the client saw (or the error status of a failed stream)
     * @param backend the backend type, {@code none} if the request never reached one
     * @param model   the model, {@code none} if unknown
     * @param tenant  the tenant auth established, {@code none} without auth
     * @param seconds how long it took
     */
    public void request(int status, String backend, String model, String tenant, double seconds) {
        requestCounter(status, backend, model, tenant).increment();
        duration(backend, model).record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    /**
     * The metrics facade handed to a plugin; its meters land in the same registry.
     *
     * @return the facade
     */
    public PluginMetrics pluginMetrics() {
        return new Facade();
    }

    /**
     * Everything in Prometheus text format (version 0.0.4).
     *
     * @return the exposition
     */
    public String prometheus() {
        Optional<MeterRegistryFormatter> formatter = formatterProvider.formatter(MediaTypes.TEXT_PLAIN,
                                                                                 CONFIG,
                                                                                 registry,
                                                                                 Optional.empty(),
                                                                                 List.of(),
                                                                                 List.of());
        return formatter.flatMap(MeterRegistryFormatter::format).map(Object::toString).orElse("");
    }

    /**
     * Removes every meter this gateway registered. Helidon's registries all share Micrometer's global one,
     * so a gauge left behind would keep reading a closed gateway in the next one of the same JVM (tests).
     */
    public void close() {
        registered.forEach(registry::remove);
        registered.clear();
    }

    private <M extends Meter, B extends Meter.Builder<B, M>> M register(B builder) {
        M meter = registry.getOrCreate(builder);
        registered.add(meter);
        return meter;
    }

    private Counter requestCounter(int status, String backend, String model, String tenant) {
        return requestCounters.computeIfAbsent(new RequestKey(status, backend, model, tenant), key -> register(
                Counter.builder("llm_requests_total")
                        .description("Chat completion requests by HTTP status, backend, model and tenant")
                        .tags(List.of(Tag.create("status", Integer.toString(key.status())),
                                      Tag.create("backend", key.backend()),
                                      Tag.create("model", key.model()),
                                      Tag.create("tenant", key.tenant())))));
    }

    private Timer duration(String backend, String model) {
        return durations.computeIfAbsent(new DurationKey(backend, model), key -> secondsHistogram(
                "llm_request_duration_seconds", "Chat completion latency in seconds, until the last byte",
                DURATION_BUCKETS, List.of(Tag.create("backend", key.backend()), Tag.create("model", key.model()))));
    }

    /**
     * A histogram of seconds. Helidon's distribution summaries bucket whole numbers only, so durations
     * are timers (nanosecond precision), which Prometheus sees as {@code <name>_seconds}.
     */
    private Timer secondsHistogram(String name, String description, double[] buckets, List<Tag> tags) {
        Duration[] bounds = new Duration[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = Duration.ofNanos((long) (buckets[i] * 1e9));
        }
        return register(Timer.builder(name.substring(0, name.length() - SECONDS.length()))
                                            .baseUnit("seconds")
                                            .description(description)
                                            .buckets(bounds)
                                            .percentiles(new double[0])
                                            .tags(tags));
    }

    private static long countSessions(Supplier<List<SessionInfo>> sessions, String state) {
        return sessions.get().stream().filter(session -> session.state().equals(state)).count();
    }

    /** Buckets only (whole-number precision): client-side percentiles cannot be aggregated across replicas. */
    private static DistributionStatisticsConfig.Builder bucketsOnly(double[] buckets) {
        return DistributionStatisticsConfig.builder().buckets(buckets).percentiles(new double[0]);
    }

    private static List<Tag> tags(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>(tags.size());
        tags.forEach((key, value) -> list.add(Tag.create(key, value)));
        return list;
    }

    private record RequestKey(int status, String backend, String model, String tenant) {
    }

    private record DurationKey(String backend, String model) {
    }

    private final class Facade implements PluginMetrics {
        @Override
        public PluginMetrics.Counter counter(String name, String description, Map<String, String> tags) {
            io.helidon.metrics.api.Counter counter = register(
                    io.helidon.metrics.api.Counter.builder(name).description(description).tags(tags(tags)));
            return counter::increment;
        }

        @Override
        public Histogram histogram(String name, String description, double[] buckets, Map<String, String> tags) {
            if (name.endsWith(SECONDS)) {
                Timer timer = secondsHistogram(name, description, buckets, tags(tags));
                return seconds -> timer.record(Duration.ofNanos((long) (seconds * 1e9)));
            }
            DistributionSummary summary = register(
                    DistributionSummary.builder(name, bucketsOnly(buckets))
                            .description(description)
                            .tags(tags(tags)));
            return summary::record;
        }

        @Override
        public void gauge(String name, String description, Supplier<? extends Number> value, Map<String, String> tags) {
            Supplier<Double> reading = () -> value.get().doubleValue();
            register(Gauge.builder(name, reading).description(description).tags(tags(tags)));
        }
    }
}
