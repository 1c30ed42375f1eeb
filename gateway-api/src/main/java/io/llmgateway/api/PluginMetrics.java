package io.llmgateway.api;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Metrics a plugin registers; the host exports them in Prometheus format. Names follow Prometheus
 * conventions ({@code llm_cli_spawn_failures_total}, {@code llm_cli_spawn_seconds}). Registering the
 * same name and tags twice returns the same meter.
 */
public interface PluginMetrics {

    /**
     * A monotonically increasing counter.
     *
     * @param name        metric name, ending in {@code _total}
     * @param description help text
     * @param tags        label names and values
     * @return the counter
     */
    Counter counter(String name, String description, Map<String, String> tags);

    /**
     * A histogram of observed values. A name ending in {@code _seconds} records durations with
     * nanosecond precision; other histograms count whole numbers (tokens, bytes).
     *
     * @param name        metric name, with its unit ({@code _seconds}, {@code _bytes})
     * @param description help text
     * @param buckets     upper bounds of the buckets, ascending
     * @param tags        label names and values
     * @return the histogram
     */
    Histogram histogram(String name, String description, double[] buckets, Map<String, String> tags);

    /**
     * A gauge read when metrics are scraped.
     *
     * @param name        metric name
     * @param description help text
     * @param value       reads the current value; must be cheap and thread-safe
     * @param tags        label names and values
     */
    void gauge(String name, String description, Supplier<? extends Number> value, Map<String, String> tags);

    /**
     * A counter.
     */
    interface Counter {
        /**
         * Adds one.
         */
        default void increment() {
            increment(1);
        }

        /**
         * Adds an amount.
         *
         * @param amount how much, not negative
         */
        void increment(long amount);
    }

    /**
     * A histogram.
     */
    interface Histogram {
        /**
         * Records one observation.
         *
         * @param value the observed value
         */
        void record(double value);
    }
}
