package io.llmgateway.host.backends;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.llmgateway.api.PluginMetrics;

/**
 * A deployment's view of the metrics: every meter it registers carries {@code deployment=<name>}, so two instances
 * of one backend type keep apart series.
 */
final class DeploymentMetrics implements PluginMetrics {

    private final PluginMetrics metrics;
    private final String deployment;

    DeploymentMetrics(PluginMetrics metrics, String deployment) {
        this.metrics = metrics;
        this.deployment = deployment;
    }

    @Override
    public Counter counter(String name, String description, Map<String, String> tags) {
        return metrics.counter(name, description, tagged(tags));
    }

    @Override
    public Histogram histogram(String name, String description, double[] buckets, Map<String, String> tags) {
        return metrics.histogram(name, description, buckets, tagged(tags));
    }

    @Override
    public void gauge(String name, String description, Supplier<? extends Number> value, Map<String, String> tags) {
        metrics.gauge(name, description, value, tagged(tags));
    }

    private Map<String, String> tagged(Map<String, String> tags) {
        Map<String, String> all = new HashMap<>(tags);
        all.put("deployment", deployment);
        return all;
    }
}
