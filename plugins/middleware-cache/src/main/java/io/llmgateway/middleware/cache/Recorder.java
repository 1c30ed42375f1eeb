package io.llmgateway.middleware.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;

/**
 * Passes each delta of a miss on to the client and keeps a copy, as long as the answer stays within
 * the size an entry may have. The copy becomes a {@link CachedAnswer} only if it is whole: a
 * {@link ChatDelta.Finish} went by and every delta reached the client.
 *
 * <p>Not synchronized, like the host's own sinks: a call's deltas come one at a time, and a backend that
 * emits from a thread of its own hands over to the request's thread before the chain returns. (A lock
 * held across the client's socket write would also pin the virtual thread's carrier before Java 24.)
 */
final class Recorder implements ChatSink {

    private final ChatSink client;
    private final long maxWeight;
    private List<ChatDelta> deltas = new ArrayList<>();
    private long weight = Sizes.ENTRY;
    private boolean finished;
    private boolean relayed;
    private boolean broken;

    /**
     * Creates a recorder.
     *
     * @param client    where the deltas go
     * @param maxWeight the largest entry worth keeping, in bytes
     */
    Recorder(ChatSink client, long maxWeight) {
        this.client = client;
        this.maxWeight = maxWeight;
    }

    @Override
    public void emit(ChatDelta delta) {
        try {
            client.emit(delta);
        } catch (RuntimeException | Error e) {
            broken = true; // the client went away: whatever follows is not what it saw
            throw e;
        }
        if (deltas == null) {
            return; // already too large to keep
        }
        weight += Sizes.of(delta);
        if (weight > maxWeight) {
            deltas = null;
            return;
        }
        deltas.add(delta);
        switch (delta) {
            case ChatDelta.Finish finish -> finished = true;
            case ChatDelta.Passthrough passthrough -> relayed = true;
            default -> { }
        }
    }

    /**
     * The answer to keep, once the chain returned normally.
     *
     * @return the answer, or empty when it is incomplete (no finish), was not all delivered, or is too
     *         large
     */
    Optional<CachedAnswer> answer() {
        if (!finished || broken || deltas == null) {
            return Optional.empty();
        }
        return Optional.of(new CachedAnswer(deltas, relayed, (int) Math.min(weight, Integer.MAX_VALUE)));
    }
}
