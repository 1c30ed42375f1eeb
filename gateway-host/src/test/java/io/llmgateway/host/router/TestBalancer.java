package io.llmgateway.host.router;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three balancers with a seeded random source: shares by weight, by attempts in flight, by latency.
 */
final class TestBalancer {

    private static final int PICKS = 20_000;

    @Test
    void weightedSharesFollowTheWeightsOfTheCandidatesGiven() {
        Deployment a = new Deployment("a", 3, 0, 50);
        Deployment b = new Deployment("b", 1, 0, 50);
        Map<String, Integer> shares = shares(Balancer.weighted(random()), List.of(a, b));

        assertEquals(0.75, shares.get("a") / (double) PICKS, 0.02);
        // the first candidate left out: the weights of the others still count, not a uniform pick
        Map<String, Integer> without = shares(Balancer.weighted(random()), List.of(b, new Deployment("c", 3, 0, 50)));
        assertEquals(0.25, without.get("b") / (double) PICKS, 0.02);
    }

    @Test
    void aWeightOfZeroServesOnlyWhenNothingElseIs() {
        Deployment main = new Deployment("main", 1, 0, 50);
        Deployment spare = new Deployment("spare", 0, 0, 50);

        for (Balancer balancer : balancers()) {
            assertEquals(Map.of("main", PICKS), shares(balancer, List.of(spare, main)), balancer.toString());
            assertEquals(Optional.of(spare), balancer.pick(List.of(spare)), balancer.toString());
            assertEquals(Optional.empty(), balancer.pick(List.<Deployment>of()), balancer.toString());
        }
    }

    @Test
    void leastInFlightTakesTheLeastLoadedAndSharesTiesAtRandom() {
        Deployment busy = new Deployment("busy", 1, 4, 50);
        Deployment idle = new Deployment("idle", 1, 1, 50);
        assertEquals(Map.of("idle", PICKS), shares(Balancer.leastInFlight(random()), List.of(busy, idle)));

        Deployment a = new Deployment("a", 1, 2, 50);
        Deployment b = new Deployment("b", 1, 2, 50);
        Map<String, Integer> ties = shares(Balancer.leastInFlight(random()), List.of(a, b));
        assertEquals(0.5, ties.get("a") / (double) PICKS, 0.02, "ties do not all go to the first");

        Deployment negative = new Deployment("negative", 1, -3, 50);
        Deployment zero = new Deployment("zero", 1, 0, 50);
        Map<String, Integer> broken = shares(Balancer.leastInFlight(random()), List.of(negative, zero));
        assertEquals(0.5, broken.get("zero") / (double) PICKS, 0.02, "a count gone below 0 does not win every pick");
    }

    @Test
    void latencyAwarePicksMostlyTheFasterButStillSamplesTheSlower() {
        Deployment fast = new Deployment("fast", 1, 0, 40);
        Deployment slow = new Deployment("slow", 1, 0, 400);
        Map<String, Integer> shares = shares(Balancer.latency(random()), List.of(fast, slow, new Deployment("mid", 1, 0, 100)));

        assertTrue(shares.get("fast") > shares.get("mid"), shares.toString());
        assertTrue(shares.getOrDefault("slow", 0) == 0, "the slowest never wins a pair: " + shares);
        Map<String, Integer> loaded = shares(Balancer.latency(random()),
                                             List.of(new Deployment("fast", 1, 20, 40), new Deployment("slow", 1, 0, 400)));
        assertTrue(loaded.get("slow") > loaded.getOrDefault("fast", 0), "twenty in flight make the fast one dearer");
    }

    private static List<Balancer> balancers() {
        return List.of(Balancer.weighted(random()), Balancer.leastInFlight(random()), Balancer.latency(random()));
    }

    private static Map<String, Integer> shares(Balancer balancer, List<Deployment> candidates) {
        Map<String, Integer> shares = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            shares.merge(balancer.pick(candidates).orElseThrow().name(), 1, Integer::sum);
        }
        return shares;
    }

    private static RandomGenerator random() {
        return new SplittableRandom(42);
    }

    /** A deployment double: a name, a weight, attempts in flight and a settled latency. */
    private record Deployment(String name, double weight, int inFlight, PeakEwma latency) implements Balancer.Candidate {
        Deployment(String name, double weight, int inFlight, long millis) {
            this(name, weight, inFlight, settled(millis));
        }

        private static PeakEwma settled(long millis) {
            PeakEwma ewma = new PeakEwma(Duration.ofSeconds(10), 0);
            ewma.observe(Duration.ofMillis(millis), 0);
            ewma.observe(Duration.ofMillis(millis), 1_000_000_000_000L); // long after: the default is forgotten
            return ewma;
        }
    }
}
