package io.llmgateway.host.router;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency estimate: up at once to a slower sample, down with time, failures as slow samples.
 */
final class TestPeakEwma {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSlowerSampleIsTakenAtOnceAndFasterOnesPullItDownWithTime() {
        PeakEwma ewma = new PeakEwma(Duration.ofSeconds(10), 0);
        assertEquals(PeakEwma.DEFAULT_RTT, ewma.estimate());

        ewma.observe(Duration.ofMillis(400), SECOND);
        assertEquals(Duration.ofMillis(400), ewma.estimate());

        ewma.observe(Duration.ofMillis(100), 11 * SECOND); // one tau later: e^-1 of the old estimate remains
        double expected = 400 * Math.exp(-1) + 100 * (1 - Math.exp(-1));
        assertEquals(expected, ewma.estimate().toNanos() / 1e6, 0.01);

        ewma.observe(Duration.ofMillis(100), 11 * SECOND); // no time has passed: a faster sample changes nothing
        assertEquals(expected, ewma.estimate().toNanos() / 1e6, 0.01);
    }

    @Test
    void aFailureCountsAsSlowNeverAsFast() {
        PeakEwma ewma = new PeakEwma(Duration.ofSeconds(10), 0);
        ewma.observe(Duration.ofMillis(50), 0);

        ewma.failed(SECOND);

        assertEquals(Duration.ofMillis(250), ewma.estimate());
    }

    @Test
    void theCostWeighsTheEstimateByTheAttemptsInFlightAndTheWeight() {
        PeakEwma fast = new PeakEwma(Duration.ofSeconds(10), 0);
        PeakEwma slow = new PeakEwma(Duration.ofSeconds(10), 0);
        fast.observe(Duration.ofMillis(100), 0);
        slow.observe(Duration.ofMillis(300), 0);

        assertTrue(fast.cost(0, 1) < slow.cost(0, 1));
        assertTrue(fast.cost(3, 1) > slow.cost(0, 1), "four in flight on the fast one cost more than one on the slow");
        assertEquals(fast.cost(1, 2), fast.cost(0, 1), 1e-6);
        assertEquals(fast.cost(0, 1), fast.cost(-2, 1), 1e-6, "a count gone wrong never makes it cheaper");
    }
}
