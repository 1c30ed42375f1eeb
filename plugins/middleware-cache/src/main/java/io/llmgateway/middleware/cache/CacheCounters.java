package io.llmgateway.middleware.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.llmgateway.api.PluginMetrics;

/**
 * {@code llm_cache_hits_total} and {@code llm_cache_misses_total} per tenant and model, with exactly the
 * tags the host registers them with at start-up ({@code tenant}, {@code model}; {@code none} without a
 * tenant): a meter name must keep one set of tag keys. The counters of a label pair are looked up once
 * and then kept, so counting costs a map read, or two comparisons when the labels are those of the
 * request before.
 */
final class CacheCounters {

    static final String HITS = "llm_cache_hits_total";
    static final String MISSES = "llm_cache_misses_total";
    static final String NONE = "none";

    private final PluginMetrics metrics;
    private final Map<Labels, Pair> pairs = new ConcurrentHashMap<>();
    private volatile Pair lastPair;

    CacheCounters(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    void hit(String tenant, String model) {
        pair(tenant, model).hits().increment();
    }

    void miss(String tenant, String model) {
        pair(tenant, model).misses().increment();
    }

    private Pair pair(String tenant, String model) {
        // most requests have the labels of the one before: kept aside, they cost two comparisons, not a map lookup
        Pair last = lastPair;
        if (last != null && last.labels.tenant().equals(tenant) && last.labels.model().equals(model)) {
            return last;
        }
        Pair pair = pairs.computeIfAbsent(new Labels(tenant, model), labels -> {
            Map<String, String> tags = Map.of("tenant", labels.tenant(), "model", labels.model());
            return new Pair(labels, metrics.counter(HITS, "Answers served from the response cache", tags),
                            metrics.counter(MISSES, "Cacheable requests the response cache could not answer", tags));
        });
        lastPair = pair;
        return pair;
    }

    private record Labels(String tenant, String model) {
    }

    private record Pair(Labels labels, PluginMetrics.Counter hits, PluginMetrics.Counter misses) {
    }
}
