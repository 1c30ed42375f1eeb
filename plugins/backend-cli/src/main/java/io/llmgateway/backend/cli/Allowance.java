package io.llmgateway.backend.cli;

import java.time.Instant;
import java.util.Optional;

/**
 * The Claude subscription's allowance, shared by every session of the pool since they all run on one login: the
 * usage limit once a turn ran into it (held until its reset, which only moves later), and the last warning that
 * usage nears the limit ({@code allowed_warning}). Thread-safe: turns report on their request's thread.
 */
final class Allowance {

    private final PoolMetrics metrics;
    private UsageLimit limit;
    private RateLimitInfo warning;

    Allowance(PoolMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * The limit requests are refused for now.
     *
     * @param now the time
     * @return the limit, empty once its reset time has come
     */
    synchronized Optional<UsageLimit> holding(Instant now) {
        return limit != null && now.isBefore(limit.resetsAt()) ? Optional.of(limit) : Optional.empty();
    }

    /**
     * Notes the limit a turn ran into.
     *
     * @param reached the limit
     * @param now     the time
     * @return true when the pool was not holding before (a limit newly reached, to log)
     */
    synchronized boolean reached(UsageLimit reached, Instant now) {
        boolean fresh = holding(now).isEmpty();
        limit = fresh ? reached : limit.orLater(reached);
        warning = null;
        return fresh;
    }

    /**
     * Forgets a limit whose reset time has come.
     *
     * @param now the time
     * @return true when there was one: the pool serves again
     */
    synchronized boolean expire(Instant now) {
        if (limit != null && !now.isBefore(limit.resetsAt())) {
            limit = null;
            return true;
        }
        return false;
    }

    /**
     * Notes what a turn's {@code rate_limit_event} said about the allowance.
     *
     * @param info the allowance
     */
    synchronized void reported(RateLimitInfo info) {
        if (info.warning()) {
            warning = info;
            metrics.usageWarning();
        } else if (info.status().equals("allowed")) {
            warning = null;
        }
    }

    /**
     * What {@code /health} adds to the pool's state: the limit reached, or usage near it.
     *
     * @param now the time
     * @return the note, empty when the allowance is fine or unknown
     */
    synchronized Optional<String> note(Instant now) {
        Optional<UsageLimit> held = holding(now);
        if (held.isPresent()) {
            return Optional.of("the Claude usage limit" + held.get().window().map(w -> " (" + UsageLimit.windowName(w) + ")")
                    .orElse("") + " is reached until " + held.get().resetsAt() + ": requests fail at once");
        }
        if (warning != null && warning.resetsAt().map(now::isBefore).orElse(true)) {
            return Optional.of("Claude usage near its limit: " + warning.describe());
        }
        return Optional.empty();
    }
}
