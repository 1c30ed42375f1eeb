package io.llmgateway.backend.cli;

import java.util.Map;
import java.util.function.BooleanSupplier;

import io.llmgateway.api.PluginMetrics;

/**
 * The pool's own meters, next to the host's {@code llm_sessions_total}.
 */
final class PoolMetrics {

    private static final double[] SPAWN_BUCKETS = {0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120};

    private final PluginMetrics.Counter coldStarts;
    private final PluginMetrics.Counter recycles;
    private final PluginMetrics.Counter spawnFailures;
    private final PluginMetrics.Counter affinityHits;
    private final PluginMetrics.Counter abandoned;
    private final PluginMetrics.Counter spawns;
    private final PluginMetrics.Counter resets;
    private final PluginMetrics.Counter toolContinuations;
    private final PluginMetrics.Counter toolResultTimeouts;
    private final PluginMetrics.Histogram spawnSeconds;
    private final PluginMetrics.Counter usageWarnings;
    private final PluginMetrics.Counter usageRefusals;
    private final PluginMetrics metrics;

    PoolMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
        coldStarts = metrics.counter("llm_cli_cold_starts_total",
                                     "Requests served by a session spawned for them (no warm session was free)", Map.of());
        recycles = metrics.counter("llm_cli_recycles_total",
                                   "Sessions retired or replaced (died, hung, failed a ping, idle overflow)", Map.of());
        spawnFailures = metrics.counter("llm_cli_spawn_failures_total",
                                        "CLI processes that failed to start or to answer initialize", Map.of());
        affinityHits = metrics.counter("llm_cli_affinity_hits_total",
                                       "Requests that continued a conversation a session already held", Map.of());
        abandoned = metrics.counter("llm_cli_abandoned_requests_total",
                                    "Requests dropped unserved because their client had gone (while they waited for a"
                                            + " session, or before their turn was sent)", Map.of());
        spawns = metrics.counter("llm_cli_spawns_total", "CLI processes spawned that became warm (answered initialize)",
                                 Map.of());
        resets = metrics.counter("llm_cli_resets_total", "Session contexts reset with /clear (for a new conversation,"
                + " in the background, after a tool-result timeout)", Map.of());
        toolContinuations = metrics.counter("llm_cli_tool_continuations_total",
                                            "Requests whose tool results went to the session whose turn waited for"
                                                    + " them (no reset, no spawn)", Map.of());
        toolResultTimeouts = metrics.counter("llm_cli_tool_result_timeouts_total",
                                             "Turns interrupted because their client did not bring the tool results"
                                                     + " within LLM_CLI_TOOL_RESULT_TIMEOUT", Map.of());
        spawnSeconds = metrics.histogram("llm_cli_spawn_seconds",
                                         "Time from spawning a CLI process to its answer to initialize", SPAWN_BUCKETS,
                                         Map.of());
        usageWarnings = metrics.counter("llm_cli_usage_warnings_total",
                                        "Turns served while the Claude subscription's usage was near its limit"
                                                + " (rate_limit_event allowed_warning)", Map.of());
        usageRefusals = metrics.counter("llm_cli_usage_limit_refusals_total",
                                        "Requests refused for the Claude subscription's usage limit (the turn that ran"
                                                + " into it, and those refused at once until it resets)", Map.of());
    }

    /**
     * Shows whether the pool refuses requests for the usage limit, as the gauge {@code llm_cli_usage_limited}.
     *
     * @param limited whether it does now
     */
    void watchUsageLimit(BooleanSupplier limited) {
        metrics.gauge("llm_cli_usage_limited", "1 while the Claude subscription's usage limit is reached and requests"
                + " fail at once, else 0", () -> limited.getAsBoolean() ? 1 : 0, Map.of());
    }

    void coldStart() {
        coldStarts.increment();
    }

    void recycle() {
        recycles.increment();
    }

    void spawnFailure() {
        spawnFailures.increment();
    }

    void affinityHit() {
        affinityHits.increment();
    }

    void abandoned() {
        abandoned.increment();
    }

    void spawned(double seconds) {
        spawns.increment();
        spawnSeconds.record(seconds);
    }

    void reset() {
        resets.increment();
    }

    void toolContinuation() {
        toolContinuations.increment();
    }

    void toolResultTimeout() {
        toolResultTimeouts.increment();
    }

    void usageWarning() {
        usageWarnings.increment();
    }

    void usageRefusal() {
        usageRefusals.increment();
    }
}
