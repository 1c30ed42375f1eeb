package io.llmgateway.bench.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Latencies of one series, in milliseconds, and their summary: min, p50, p90 and max by the
 * nearest-rank method (p50 of 30 samples is the 15th smallest, p90 the 27th).
 */
final class Samples {

    private final String name;
    private final List<Double> millis = new ArrayList<>();

    Samples(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Adds a duration measured with {@link System#nanoTime()}. */
    synchronized void addNanos(long nanos) {
        millis.add(nanos / 1e6);
    }

    synchronized void addMillis(double value) {
        millis.add(value);
    }

    synchronized int count() {
        return millis.size();
    }

    double min() {
        return percentile(0);
    }

    double p50() {
        return percentile(50);
    }

    double p90() {
        return percentile(90);
    }

    double max() {
        return percentile(100);
    }

    /** {@code | name | n | p50 | p90 | min | max |} */
    String row() {
        return "| " + name + " | " + count() + " | " + ms(p50()) + " | " + ms(p90()) + " | " + ms(min()) + " | "
                + ms(max()) + " |";
    }

    /** Nearest rank: the smallest value with at least p% of the samples at or below it. */
    synchronized double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
    }

    /**
     * A 95% bootstrap interval of {@code a.p50() − b.p50()}: both series resampled with replacement, 2,000
     * times (fixed seed, so a report can be recomputed). With 30 samples from a noisy machine the
     * difference of two medians is uncertain by several ms; this says by how much.
     *
     * @return the 2.5th and 97.5th percentiles of the resampled differences
     */
    static double[] p50DifferenceInterval(Samples a, Samples b) {
        List<Double> x = a.snapshot();
        List<Double> y = b.snapshot();
        if (x.isEmpty() || y.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random random = new Random(42);
        Samples differences = new Samples("bootstrap");
        for (int i = 0; i < 2000; i++) {
            differences.addMillis(resampledMedian(x, random) - resampledMedian(y, random));
        }
        return new double[] {differences.percentile(2.5), differences.percentile(97.5)};
    }

    private static double resampledMedian(List<Double> values, Random random) {
        Samples resampled = new Samples("resample");
        for (int i = 0; i < values.size(); i++) {
            resampled.addMillis(values.get(random.nextInt(values.size())));
        }
        return resampled.p50();
    }

    private synchronized List<Double> snapshot() {
        return List.copyOf(millis);
    }

    /** Milliseconds for the report: one decimal, or two below 10 ms. */
    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
    }
}
