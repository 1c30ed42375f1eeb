package io.llmgateway.host.router;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.llmgateway.api.Backend;
import io.llmgateway.host.config.RoutingConfig;

import static java.util.Objects.requireNonNull;

/**
 * One running deployment: its backend instance, its breakers, its latency estimate and its attempts in flight.
 * There is one breaker per model the deployment is sent (as configured: a model id, or the public name or pattern
 * that routes to it), so that one upstream model that fails or is rate-limited does not take the deployment's other
 * models out with it, and a client inventing names cannot cool anything down. Lives across config reloads as long as
 * its configuration is unchanged, so its breakers and the CLI pool's warm sessions survive them.
 */
public final class Deployment {

    private static final Duration LATENCY_DECAY = Duration.ofSeconds(10);

    private final RoutingConfig.Deployment config;
    private final Backend backend;
    private final Supplier<Breaker> newBreaker;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final PeakEwma latency;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * Creates a deployment around a started backend.
     *
     * @param config   what it was built from
     * @param backend  the backend instance
     * @param breakers makes a closed breaker for each model it is sent
     */
    public Deployment(RoutingConfig.Deployment config, Backend backend, Supplier<Breaker> breakers) {
        this.config = requireNonNull(config, "config is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.newBreaker = requireNonNull(breakers, "breakers is null");
        this.latency = new PeakEwma(LATENCY_DECAY, System.nanoTime());
    }

    /** {@return the deployment's name} */
    public String name() {
        return config.name();
    }

    /** {@return the backend type} */
    public String type() {
        return config.type();
    }

    /** {@return what it was built from} */
    public RoutingConfig.Deployment config() {
        return config;
    }

    /** {@return the backend instance} */
    public Backend backend() {
        return backend;
    }

    /**
     * The breaker for one model it is sent.
     *
     * @param model the model as configured (a model id, or the public name or pattern routed here)
     * @return the breaker, closed when new
     */
    public Breaker breaker(String model) {
        return breakers.computeIfAbsent(model, unused -> newBreaker.get());
    }

    /** {@return its breakers by model, in name order} */
    public Map<String, Breaker> breakers() {
        return new TreeMap<>(breakers);
    }

    /** {@return its latency estimate (time to first delta)} */
    public PeakEwma latency() {
        return latency;
    }

    /** {@return attempts running on it now} */
    public int inFlight() {
        return inFlight.get();
    }

    /** Counts an attempt that starts. */
    void started() {
        inFlight.incrementAndGet();
    }

    /** Counts an attempt that ended, whichever way; never below 0. */
    void ended() {
        inFlight.updateAndGet(count -> Math.max(0, count - 1));
    }

    /**
     * Whether a new configuration keeps this deployment as it is.
     *
     * @param other the deployment as newly configured
     * @return true when name, type and settings are the same
     */
    public boolean sameAs(RoutingConfig.Deployment other) {
        return config.name().equals(other.name()) && config.type().equals(other.type())
                && config.settings().equals(other.settings());
    }
}
