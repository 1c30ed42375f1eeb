package io.llmgateway.testkit;

import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.ClientDisconnectedException;

/**
 * A sink that records every delta and can play a client that leaves: from the n-th delta on, emitting throws
 * {@link ClientDisconnectedException}, as the host's sink does once the client's connection is gone.
 */
public final class ContractSink implements ChatSink {

    private final List<ChatDelta> deltas = new ArrayList<>();
    private final int leaveAt;
    private int refused;

    private ContractSink(int leaveAt) {
        this.leaveAt = leaveAt;
    }

    /**
     * A client that reads everything.
     *
     * @return the sink
     */
    public static ContractSink reading() {
        return new ContractSink(Integer.MAX_VALUE);
    }

    /**
     * A client that leaves when a delta arrives.
     *
     * @param delta which delta finds the client gone, 1 for the first
     * @return the sink
     */
    public static ContractSink leavingAt(int delta) {
        if (delta < 1) {
            throw new IllegalArgumentException("deltas count from 1: " + delta);
        }
        return new ContractSink(delta);
    }

    @Override
    public synchronized void emit(ChatDelta delta) {
        if (deltas.size() + 1 >= leaveAt) {
            refused++;
            throw new ClientDisconnectedException(new java.io.IOException("Broken pipe (the contract's client left)"));
        }
        deltas.add(delta);
    }

    /**
     * The deltas the client received.
     *
     * @return the deltas, in order
     */
    public synchronized List<ChatDelta> deltas() {
        return List.copyOf(deltas);
    }

    /**
     * How many deltas were emitted after the client had left.
     *
     * @return the count
     */
    public synchronized int refused() {
        return refused;
    }
}
