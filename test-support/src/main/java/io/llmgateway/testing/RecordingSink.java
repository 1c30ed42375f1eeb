package io.llmgateway.testing;

import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;

/**
 * A {@link ChatSink} that keeps every delta, and can stand in for a client that leaves: an observer sees
 * each delta first and may throw (a {@link io.llmgateway.api.ClientDisconnectedException}, say).
 */
public final class RecordingSink implements ChatSink {

    private final List<ChatDelta> deltas = new ArrayList<>();
    private final ChatSink observer;

    /** A sink that only records. */
    public RecordingSink() {
        this(delta -> { });
    }

    /**
     * A sink that shows each delta to an observer before recording it.
     *
     * @param observer sees each delta first
     */
    public RecordingSink(ChatSink observer) {
        this.observer = observer;
    }

    @Override
    public synchronized void emit(ChatDelta delta) {
        observer.emit(delta);
        deltas.add(delta);
    }

    /** {@return every delta so far, in order} */
    public synchronized List<ChatDelta> deltas() {
        return List.copyOf(deltas);
    }

    /** {@return the deltas assembled into a whole answer} */
    public synchronized ChatCompletion completion() {
        return ChatCompletion.of(deltas);
    }

    /** {@return how many text deltas arrived} */
    public synchronized long textDeltas() {
        return deltas.stream().filter(ChatDelta.Text.class::isInstance).count();
    }
}
