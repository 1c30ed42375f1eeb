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
    /** The answer so far, with runs of text and of one tool call's fragments joined (see {@link #compact}). */
    private List<ChatDelta> kept = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private ChatDelta.ToolCallFragment call;
    private final StringBuilder arguments = new StringBuilder();
    /** A running estimate, to give up on answers too large early; the entry's weight is counted at the end. */
    private long estimate = Sizes.DELTAS_ANSWER;
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
        if (kept == null) {
            return; // already too large to keep
        }
        switch (delta) {
            case ChatDelta.Text(String more) -> {
                endCall();
                text.append(more);
                estimate += more.length();
            }
            case ChatDelta.ToolCallFragment fragment -> {
                endText();
                boolean continues = call != null && call.index() == fragment.index()
                        && fragment.id().isEmpty() && fragment.name().isEmpty();
                if (!continues) {
                    endCall();
                    call = fragment;
                }
                arguments.append(fragment.arguments());
                estimate += Sizes.of(fragment);
            }
            default -> {
                endText();
                endCall();
                kept.add(delta);
                estimate += Sizes.of(delta);
                finished |= delta instanceof ChatDelta.Finish;
                relayed |= delta instanceof ChatDelta.Passthrough;
            }
        }
        if (estimate > maxWeight) {
            kept = null;
        }
    }

    /**
     * The answer to keep, once the chain returned normally.
     *
     * @return the answer, or empty when it is incomplete (no finish), was not all delivered, or is too
     *         large
     */
    Optional<CachedAnswer> answer() {
        if (!finished || broken || kept == null) {
            return Optional.empty();
        }
        endText();
        endCall();
        CachedAnswer answer = CachedAnswer.of(kept, relayed);
        return answer.weight() > maxWeight ? Optional.empty() : Optional.of(answer);
    }

    /**
     * Joins runs of text deltas, and of fragments of one tool call, into one, as the recorder keeps them:
     * a hit then replays a few deltas rather than one per token, which makes it cheaper than most backends'
     * answers. A replayed stream carries the same text in fewer, larger chunks.
     *
     * @param deltas deltas as a backend emitted them
     * @return the same answer, joined
     */
    static List<ChatDelta> compact(List<ChatDelta> deltas) {
        Recorder recorder = new Recorder(delta -> { }, Long.MAX_VALUE);
        deltas.forEach(recorder::emit);
        recorder.endText();
        recorder.endCall();
        return List.copyOf(recorder.kept);
    }

    private void endText() {
        if (!text.isEmpty()) {
            kept.add(new ChatDelta.Text(text.toString()));
            text.setLength(0);
        }
    }

    private void endCall() {
        if (call != null) {
            kept.add(new ChatDelta.ToolCallFragment(call.index(), call.id(), call.name(), arguments.toString()));
            call = null;
            arguments.setLength(0);
        }
    }
}
