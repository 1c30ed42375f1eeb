package io.llmgateway.host.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.ClientDisconnectedException;

/**
 * The sink one attempt writes to. A streamed answer is committed by its first delta, which is passed on at once:
 * from then on the attempt cannot be retried. A whole (non-streamed) answer is held until the attempt succeeds, so
 * that a failed attempt's partial answer is dropped and the next attempt starts clean.
 */
final class AttemptSink implements ChatSink {

    private final ChatSink client;
    private final boolean stream;
    private final Runnable onCommit;
    private final long startNanos = System.nanoTime();
    private final List<ChatDelta> held;
    private final CompletableFuture<Void> firstDelta = new CompletableFuture<>();
    private volatile long firstDeltaNanos = -1;
    private volatile boolean abandoned;
    private boolean committed;

    /**
     * Creates the sink of one attempt.
     *
     * @param client   where the answer goes
     * @param stream   whether the client streams
     * @param onCommit run once, just before the first delta reaches the client (sets the routing headers)
     */
    AttemptSink(ChatSink client, boolean stream, Runnable onCommit) {
        this.client = client;
        this.stream = stream;
        this.onCommit = onCommit;
        this.held = stream ? List.of() : new ArrayList<>();
    }

    @Override
    public void emit(ChatDelta delta) {
        if (abandoned) {
            throw new ClientDisconnectedException(null); // the router gave up on this attempt: stop as if the client left
        }
        if (firstDeltaNanos < 0) {
            firstDeltaNanos = System.nanoTime();
            firstDelta.complete(null);
        }
        if (!stream) {
            held.add(delta);
            return;
        }
        commit();
        client.emit(delta);
    }

    /** The attempt succeeded: a held answer goes to the client now. */
    void succeeded() {
        commit();
        for (ChatDelta delta : held) {
            client.emit(delta);
        }
    }

    /** {@return completed by the attempt's first delta} */
    CompletableFuture<Void> firstDelta() {
        return firstDelta;
    }

    /** Stops taking deltas: the attempt took too long to start, and the next one serves the client. */
    void abandon() {
        abandoned = true;
    }

    /** {@return whether anything reached the client, so that the attempt can no longer be retried} */
    boolean committed() {
        return committed;
    }

    /** {@return nanoseconds from the attempt's start to its first delta, or to now without one} */
    long nanosToFirstDelta() {
        return (firstDeltaNanos < 0 ? System.nanoTime() : firstDeltaNanos) - startNanos;
    }

    private void commit() {
        if (!committed) {
            committed = true;
            onCommit.run();
        }
    }
}
