package io.llmgateway.host.router;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.llmgateway.api.FailureKind;
import io.llmgateway.api.PluginMetrics;

/**
 * The router's meters, labelled only by configured deployment and model names and by failure kinds, so clients
 * cannot add series: {@code llm_deployment_attempts_total{deployment,outcome}},
 * {@code llm_deployment_retries_total{deployment}}, {@code llm_deployment_cooldowns_total{deployment,reason}},
 * {@code llm_deployment_state{deployment,model}} (0 closed, 1 half open, 2 open), {@code llm_deployment_in_flight{deployment}}
 * and {@code llm_fallbacks_total{model,to}}.
 */
public final class RouterMetrics {

    private final PluginMetrics metrics;
    private final Map<Key, PluginMetrics.Counter> counters = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    /**
     * Creates the meters' home.
     *
     * @param metrics where meters are registered
     */
    public RouterMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Makes a deployment's gauges visible; they read the deployment the router holds under that name now.
     *
     * @param name    the deployment's name
     * @param current the deployment by that name in the current state, or null once it is gone
     */
    void watch(String name, Function<String, Deployment> current) {
        if (!gauged.add(name)) {
            return;
        }
        Map<String, String> tags = Map.of("deployment", name);
        metrics.gauge("llm_deployment_in_flight", "Attempts running per deployment", () -> {
            Deployment deployment = current.apply(name);
            return deployment == null ? 0 : deployment.inFlight();
        }, tags);
        counter("llm_deployment_attempts_total", "Upstream attempts per deployment and outcome",
                Map.of("deployment", name, "outcome", "success"));
    }

    /**
     * Makes the breaker of one model on a deployment visible.
     *
     * @param name    the deployment's name
     * @param model   the model as configured
     * @param current the deployment by that name in the current state, or null once it is gone
     */
    void watch(String name, String model, Function<String, Deployment> current) {
        if (!gauged.add(name + "\u0000" + model)) {
            return;
        }
        metrics.gauge("llm_deployment_state", "Breaker state per deployment and model: 0 closed, 1 half open, 2 open",
                      () -> {
                          Deployment deployment = current.apply(name);
                          return deployment == null ? 0 : switch (deployment.breaker(model).snapshot().state()) {
                              case CLOSED -> 0;
                              case HALF_OPEN -> 1;
                              case OPEN -> 2;
                          };
                      }, Map.of("deployment", name, "model", model));
    }

    void succeeded(Deployment deployment) {
        counter("llm_deployment_attempts_total", "Upstream attempts per deployment and outcome",
                Map.of("deployment", deployment.name(), "outcome", "success")).increment();
    }

    void failed(Deployment deployment, FailureKind kind) {
        counter("llm_deployment_attempts_total", "Upstream attempts per deployment and outcome",
                Map.of("deployment", deployment.name(), "outcome", label(kind))).increment();
    }

    void retried(Deployment deployment) {
        counter("llm_deployment_retries_total", "Attempts that retried a request already tried once",
                Map.of("deployment", deployment.name())).increment();
    }

    void cooledDown(Deployment deployment, FailureKind kind) {
        counter("llm_deployment_cooldowns_total", "Times a deployment's breaker opened",
                Map.of("deployment", deployment.name(), "reason", label(kind))).increment();
    }

    void fellBack(String model, String to) {
        counter("llm_fallbacks_total", "Requests served, or tried, by a fallback model",
                Map.of("model", model, "to", to)).increment();
    }

    private PluginMetrics.Counter counter(String name, String description, Map<String, String> tags) {
        return counters.computeIfAbsent(new Key(name, tags), unused -> metrics.counter(name, description, tags));
    }

    /** A meter's identity: its name and tags (compared as values, never rendered as text on the request path). */
    private record Key(String name, Map<String, String> tags) {
    }

    private static String label(FailureKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
