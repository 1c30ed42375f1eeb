package io.llmgateway.backend.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.llmgateway.api.GatewayException;

/**
 * A request waiting in the queue for a session. The pool hands it a session (or a failure) under its lock;
 * the request waits for that without the lock and without holding a carrier (the wait parks), looking every
 * {@value #POLL_MILLIS} ms whether its client is still there.
 */
final class Waiter {

    /** How often a waiting request checks whether its client has gone. */
    static final long POLL_MILLIS = 50;

    private final SessionKey key;
    private final Affinity affinity;
    private final BooleanSupplier clientGone;
    private final CompletableFuture<CliSession> handoff = new CompletableFuture<>();

    Waiter(SessionKey key, Affinity affinity, BooleanSupplier clientGone) {
        this.key = key;
        this.affinity = affinity;
        this.clientGone = clientGone;
    }

    SessionKey key() {
        return key;
    }

    Affinity affinity() {
        return affinity;
    }

    /** Whether the request's client has closed its connection. */
    boolean clientGone() {
        return clientGone.getAsBoolean();
    }

    /** Gives the waiter its session (already marked busy). */
    void hand(CliSession session) {
        handoff.complete(session);
    }

    /** Ends the wait with an error for the client. */
    void fail(RuntimeException failure) {
        handoff.completeExceptionally(failure);
    }

    /**
     * Waits for a session until a given time, or until the client is gone.
     *
     * @param until when to stop waiting
     * @param clock the pool's clock
     * @return the session, or empty when none came in time or the client left (the waiter may still be handed
     *         one: see {@link #outcome()})
     * @throws RuntimeException the failure the pool ended the wait with
     */
    Optional<CliSession> await(Instant until, Clock clock) throws InterruptedException {
        while (true) {
            long nanos = Duration.between(clock.instant(), until).toNanos();
            if (nanos <= 0 || clientGone()) {
                return Optional.empty();
            }
            try {
                return Optional.of(handoff.get(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)),
                                               TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                // look at the client and the clock again
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            }
        }
    }

    /**
     * What the pool decided, once it removed the waiter from the queue.
     *
     * @return the session handed over, or empty when nothing was decided
     * @throws RuntimeException the failure the pool ended the wait with
     */
    Optional<CliSession> outcome() {
        return switch (handoff.state()) {
            case SUCCESS -> Optional.of(handoff.resultNow());
            case FAILED -> throw unwrap(handoff.exceptionNow());
            case RUNNING, CANCELLED -> Optional.empty();
        };
    }

    private static RuntimeException unwrap(Throwable cause) {
        return cause instanceof RuntimeException failure
                ? failure
                : GatewayException.internal("The cli backend failed while the request waited for a session");
    }
}
