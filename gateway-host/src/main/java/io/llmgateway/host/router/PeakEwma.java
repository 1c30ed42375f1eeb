package io.llmgateway.host.router;

import java.time.Duration;

/**
 * A deployment's latency estimate for latency-aware balancing: a moving average of its time to the first
 * delta that jumps up at once to a slower sample and decays towards faster ones with time constant
 * {@code tau} (Finagle's peak EWMA), so a deployment that slows down is avoided at once and one that
 * recovers wins its traffic back gradually. A failure counts as a slow sample, never as the fast one its
 * error answer was. Its cost for a pick weighs the estimate by the attempts in flight.
 */
public final class PeakEwma {

    /** What a deployment with no sample yet is taken to need (Linkerd's default). */
    static final Duration DEFAULT_RTT = Duration.ofMillis(30);
    /** How much slower than the estimate a failure counts. */
    private static final double FAILURE_PENALTY = 5;

    private final double tauNanos;
    private double estimateNanos;
    private long lastNanos;

    /**
     * Creates an estimate.
     *
     * @param tau   the decay's time constant
     * @param nanos the current {@link System#nanoTime()} (or a test's clock)
     */
    public PeakEwma(Duration tau, long nanos) {
        if (tau.isNegative() || tau.isZero()) {
            throw new IllegalArgumentException("tau must be positive: " + tau);
        }
        this.tauNanos = tau.toNanos();
        this.estimateNanos = DEFAULT_RTT.toNanos();
        this.lastNanos = nanos;
    }

    /**
     * Adds a sample: an attempt's time to its first delta.
     *
     * @param sample the time
     * @param nanos  now
     */
    public synchronized void observe(Duration sample, long nanos) {
        double rtt = sample.toNanos();
        if (rtt > estimateNanos) {
            estimateNanos = rtt;
        } else {
            double weight = Math.exp(-Math.max(0, nanos - lastNanos) / tauNanos);
            estimateNanos = estimateNanos * weight + rtt * (1 - weight);
        }
        lastNanos = Math.max(lastNanos, nanos);
    }

    /**
     * Adds a failure, as a sample several times the current estimate.
     *
     * @param nanos now
     */
    public synchronized void failed(long nanos) {
        observe(Duration.ofNanos((long) (estimateNanos * FAILURE_PENALTY)), nanos);
    }

    /** {@return the current estimate} */
    public synchronized Duration estimate() {
        return Duration.ofNanos((long) estimateNanos);
    }

    /**
     * What sending one more attempt costs, to compare two deployments: the estimate times the attempts
     * that would then be in flight, divided by the deployment's weight.
     *
     * @param inFlight attempts in flight now
     * @param weight   the deployment's weight, above 0
     * @return the cost, lower is better
     */
    public synchronized double cost(int inFlight, double weight) {
        return estimateNanos * (Math.max(0, inFlight) + 1) / weight;
    }
}
