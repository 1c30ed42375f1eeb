package io.llmgateway.host.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import static java.util.Objects.requireNonNull;

/**
 * Picks one of a model's deployments that may be tried now (their breakers let an attempt through). A
 * weight of 0 marks a deployment used only when no other is available; weights are read over the
 * candidates given, never over a list that includes the ones left out. Ties go to chance, so that equal
 * deployments share the load rather than the first taking it all.
 */
public sealed interface Balancer {

    /**
     * Picks one.
     *
     * @param candidates the deployments that may be tried now
     * @param <C>        their type
     * @return the one to try, empty when there is none
     */
    <C extends Candidate> Optional<C> pick(List<C> candidates);

    /**
     * Weighted random.
     *
     * @param random the chance
     * @return the balancer
     */
    static Balancer weighted(RandomGenerator random) {
        return new Weighted(random);
    }

    /**
     * The fewest attempts in flight, relative to the weight.
     *
     * @param random the chance, for ties
     * @return the balancer
     */
    static Balancer leastInFlight(RandomGenerator random) {
        return new LeastInFlight(random);
    }

    /**
     * The cheaper of two chosen at random (weighted), by latency estimate times attempts in flight.
     *
     * @param random the chance
     * @return the balancer
     */
    static Balancer latency(RandomGenerator random) {
        return new PowerOfTwoChoices(random);
    }

    /** A deployment as the balancers see it. */
    interface Candidate {
        /** {@return its weight, 0 or more} */
        double weight();

        /** {@return its attempts in flight} */
        int inFlight();

        /** {@return its latency estimate} */
        PeakEwma latency();
    }

    /** The candidates with a weight above 0, or all of them when none has one. */
    private static <C extends Candidate> List<C> preferred(List<C> candidates) {
        List<C> weighted = candidates.stream().filter(c -> c.weight() > 0).toList();
        return weighted.isEmpty() ? candidates : weighted;
    }

    /** A weight for picking: the ones kept for when nothing else is left count alike among themselves. */
    private static double weightOf(Candidate candidate) {
        return candidate.weight() > 0 ? candidate.weight() : 1;
    }

    /** Weighted random. */
    record Weighted(RandomGenerator random) implements Balancer {
        /** Validates. */
        public Weighted {
            requireNonNull(random, "random is null");
        }

        @Override
        public <C extends Candidate> Optional<C> pick(List<C> candidates) {
            List<C> pool = preferred(candidates);
            if (pool.isEmpty()) {
                return Optional.empty();
            }
            double total = pool.stream().mapToDouble(Balancer::weightOf).sum();
            double point = random.nextDouble() * total;
            for (C candidate : pool) {
                point -= weightOf(candidate);
                if (point < 0) {
                    return Optional.of(candidate);
                }
            }
            return Optional.of(pool.getLast());
        }
    }

    /** The fewest attempts in flight per unit of weight, ties at random. */
    record LeastInFlight(RandomGenerator random) implements Balancer {
        /** Validates. */
        public LeastInFlight {
            requireNonNull(random, "random is null");
        }

        @Override
        public <C extends Candidate> Optional<C> pick(List<C> candidates) {
            List<C> best = new ArrayList<>();
            double lowest = Double.MAX_VALUE;
            for (C candidate : preferred(candidates)) {
                double load = Math.max(0, candidate.inFlight()) / weightOf(candidate);
                if (load < lowest) {
                    lowest = load;
                    best.clear();
                }
                if (load == lowest) {
                    best.add(candidate);
                }
            }
            return best.isEmpty() ? Optional.empty() : Optional.of(best.get(random.nextInt(best.size())));
        }
    }

    /** Two weighted random picks, the one with the lower latency cost wins (Finagle's P2C with peak EWMA). */
    record PowerOfTwoChoices(RandomGenerator random) implements Balancer {
        /** Validates. */
        public PowerOfTwoChoices {
            requireNonNull(random, "random is null");
        }

        @Override
        public <C extends Candidate> Optional<C> pick(List<C> candidates) {
            List<C> pool = preferred(candidates);
            if (pool.size() < 2) {
                return pool.stream().findFirst();
            }
            Weighted weighted = new Weighted(random);
            C first = weighted.pick(pool).orElseThrow();
            List<C> others = pool.stream().filter(c -> c != first).toList();
            C second = weighted.pick(others).orElseThrow();
            double firstCost = first.latency().cost(first.inFlight(), weightOf(first));
            double secondCost = second.latency().cost(second.inFlight(), weightOf(second));
            return Optional.of(secondCost < firstCost ? second : first);
        }
    }
}
