package io.llmgateway.host.router;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import static java.util.Objects.requireNonNull;

/**
 * One deployment's circuit breaker (its cooldown). Closed, it lets every attempt through and counts
 * failures; {@code failures} of them in a row within {@code window} (a success starts the count again, so a busy
 * deployment with a few failures among many answers stays in), or one that says the deployment is out for a
 * while (a 429 with {@code retry-after}, a used-up allowance, a rejected key), open it. Open, it lets
 * nothing through until its time is up: {@code cooldown}, doubled each time it reopens, at most
 * {@code maxCooldown}, ±10%, and never before a time the deployment itself named. A cooldown only ever
 * grows: a later, shorter one never cuts it short, and results of attempts that began before it opened
 * never restart it. Then it is half open: exactly one attempt (the probe) goes through; its success closes
 * the breaker, its failure opens it again for longer. A probe that does not report by its deadline frees the
 * way for another.
 */
public final class Breaker {

    private final Settings settings;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Deque<Instant> recentFailures = new ArrayDeque<>();
    private State state = State.CLOSED;
    private Instant openUntil = Instant.MIN;
    private String reason = "";
    /** Openings in a row without a clean window between them: the next cooldown is 2^reopens times as long. */
    private int reopens;
    private Instant closedAt = Instant.MIN;
    /** Counts openings, so that results of attempts from before the latest one are told apart. */
    private long generation;
    private Permit probe;
    private Instant probeDeadline = Instant.MIN;

    /**
     * Creates a closed breaker.
     *
     * @param settings when it opens and for how long
     * @param clock    the time
     * @param random   uniform in [0, 1), for the jitter
     */
    public Breaker(Settings settings, Clock clock, DoubleSupplier random) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /**
     * Asks to send one attempt.
     *
     * @param deadline when the attempt will have ended at the latest (a probe's permit lapses then)
     * @return a permit to report the attempt's result on, or empty while the breaker is open (or half open
     *         with its probe out)
     */
    public synchronized Optional<Permit> tryAcquire(Instant deadline) {
        Instant now = clock.instant();
        switch (state) {
            case CLOSED -> {
                return Optional.of(new Permit(generation, false));
            }
            case OPEN -> {
                if (now.isBefore(openUntil)) {
                    return Optional.empty();
                }
                state = State.HALF_OPEN;
                return Optional.of(newProbe(deadline));
            }
            case HALF_OPEN -> {
                if (probe != null && now.isBefore(probeDeadline)) {
                    return Optional.empty();
                }
                return Optional.of(newProbe(deadline));
            }
            default -> throw new IllegalStateException(state.toString());
        }
    }

    /** {@return where the breaker stands now} */
    public synchronized Snapshot snapshot() {
        State now = state == State.OPEN && !clock.instant().isBefore(openUntil) ? State.HALF_OPEN : state;
        return new Snapshot(now, state == State.CLOSED ? Optional.empty() : Optional.of(openUntil), reason,
                            recentFailures.size());
    }

    private Permit newProbe(Instant deadline) {
        probe = new Permit(generation, true);
        probeDeadline = deadline;
        return probe;
    }

    private synchronized void succeeded(Permit permit) {
        if (permit.probe && permit == probe) {
            state = State.CLOSED;
            probe = null;
            recentFailures.clear();
            reason = "";
            closedAt = clock.instant();
        }
        if (state == State.CLOSED) {
            recentFailures.clear(); // failures count in a row: a success between them shows the deployment serves
        }
        // one from before an opening does not close it
    }

    private synchronized void failed(Permit permit, Failure failure) {
        Instant now = clock.instant();
        if (state == State.CLOSED) {
            recentFailures.addLast(now);
            while (recentFailures.size() > 0 && recentFailures.peekFirst().isBefore(now.minus(settings.window()))) {
                recentFailures.removeFirst();
            }
            if (failure.opensAtOnce() || recentFailures.size() >= settings.failures()) {
                open(now, failure);
            }
        } else if (permit.probe && permit == probe) {
            probe = null;
            open(now, failure);
        } else if (permit.generation < generation || state == State.OPEN) {
            // an attempt from before the opening: it may name a later time, it does not restart the cooldown
            failure.notBefore().filter(openUntil::isBefore).ifPresent(until -> openUntil = until);
        }
    }

    private synchronized void released(Permit permit) {
        if (permit.probe && permit == probe) {
            probe = null; // a neutral result says nothing of the deployment: the next request probes
        }
    }

    private void open(Instant now, Failure failure) {
        if (!closedAt.equals(Instant.MIN) && closedAt.plus(settings.window()).isBefore(now)) {
            reopens = 0; // a clean window since the last close: start again from the shortest cooldown
        }
        Duration cooldown = settings.cooldown().multipliedBy(1L << Math.min(reopens, 20));
        if (cooldown.compareTo(settings.maxCooldown()) > 0) {
            cooldown = settings.maxCooldown();
        }
        long jittered = Math.round(cooldown.toMillis() * (0.9 + 0.2 * random.getAsDouble()));
        Instant until = now.plusMillis(jittered);
        if (failure.notBefore().isPresent() && failure.notBefore().get().isAfter(until)) {
            until = failure.notBefore().get();
        }
        openUntil = until.isAfter(openUntil) ? until : openUntil;
        state = State.OPEN;
        reason = failure.reason();
        reopens++;
        generation++;
        recentFailures.clear();
    }

    /**
     * When a breaker opens and for how long.
     *
     * @param failures    failures within the window that open it
     * @param window      how far back failures count
     * @param cooldown    the first open time
     * @param maxCooldown the longest open time, however often it reopens
     */
    public record Settings(int failures, Duration window, Duration cooldown, Duration maxCooldown) {
        /** Validates. */
        public Settings {
            requireNonNull(window, "window is null");
            requireNonNull(cooldown, "cooldown is null");
            requireNonNull(maxCooldown, "maxCooldown is null");
            if (failures < 1) {
                throw new IllegalArgumentException("failures must be at least 1: " + failures);
            }
            if (window.isNegative() || window.isZero() || cooldown.isNegative() || cooldown.isZero()
                    || maxCooldown.compareTo(cooldown) < 0) {
                throw new IllegalArgumentException("window and cooldown must be positive, maxCooldown at least cooldown");
            }
        }
    }

    /**
     * What a failed attempt says of its deployment.
     *
     * @param opensAtOnce whether it is out for a while without waiting for more failures (rate limited with a
     *                    time, allowance used up, credentials refused)
     * @param notBefore   the time it named for coming back ({@code retry-after}, a reset time)
     * @param reason      in words, for {@code /health} and the log
     */
    public record Failure(boolean opensAtOnce, Optional<Instant> notBefore, String reason) {
        /** Validates. */
        public Failure {
            requireNonNull(notBefore, "notBefore is null");
            requireNonNull(reason, "reason is null");
        }

        /**
         * A failure that counts towards opening (a 5xx, a refused connection, a timeout).
         *
         * @param reason in words
         * @return the failure
         */
        public static Failure counting(String reason) {
            return new Failure(false, Optional.empty(), reason);
        }

        /**
         * A failure that opens the breaker at once, until at least a given time.
         *
         * @param until  the time the deployment named, if any
         * @param reason in words
         * @return the failure
         */
        public static Failure opening(Optional<Instant> until, String reason) {
            return new Failure(true, until, reason);
        }
    }

    /** The breaker's states. */
    public enum State {
        /** Attempts go through; failures are counted. */
        CLOSED,
        /** Nothing goes through until its time is up. */
        OPEN,
        /** One probe goes through. */
        HALF_OPEN
    }

    /**
     * Where a breaker stands.
     *
     * @param state     the state
     * @param openUntil until when it is (or was last) open, when not closed
     * @param reason    what opened it, empty when closed
     * @param failures  failures counted in the current window
     */
    public record Snapshot(State state, Optional<Instant> openUntil, String reason, int failures) {
    }

    /** Leave to send one attempt; its result is reported once, by one of the methods. */
    public final class Permit {
        private final long generation;
        private final boolean probe;
        private boolean reported;

        private Permit(long generation, boolean probe) {
            this.generation = generation;
            this.probe = probe;
        }

        /** The attempt succeeded. */
        public void succeeded() {
            if (report()) {
                Breaker.this.succeeded(this);
            }
        }

        /**
         * The attempt failed in a way that speaks of the deployment.
         *
         * @param failure what it says
         */
        public void failed(Failure failure) {
            if (report()) {
                Breaker.this.failed(this, failure);
            }
        }

        /** The attempt ended in a way that says nothing of the deployment (a bad request, a client that left). */
        public void neutral() {
            if (report()) {
                Breaker.this.released(this);
            }
        }

        /** {@return whether this permit is the half-open breaker's one probe} */
        public boolean isProbe() {
            return probe;
        }

        private synchronized boolean report() {
            if (reported) {
                return false;
            }
            reported = true;
            return true;
        }
    }
}
