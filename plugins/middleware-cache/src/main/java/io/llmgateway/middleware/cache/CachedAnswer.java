package io.llmgateway.middleware.cache;

import java.util.List;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.TokenUsage;

import static java.util.Objects.requireNonNull;

/**
 * A complete answer as the backend emitted it (runs of text joined, see {@link Recorder#compact}), replayed
 * delta by delta on a hit. Immutable, so many requests replay one entry at once.
 *
 * <p>An answer of text alone, as almost every answer is, is kept as {@link Text}: one object and its string.
 * As a list of deltas it would be six objects more (twelve an entry with the key and Caffeine's two map nodes,
 * instead of six), and every entry made since the last young collection is copied by it: under a load of
 * nothing but misses, copying entries made most of the young pauses' time (20-60 ms each on the 2-core bench
 * machine). Every other shape (tool calls, an upstream's relayed chunks) is kept as {@link Deltas}.
 */
sealed interface CachedAnswer {

    /**
     * The answer to keep for a recorded, complete answer, in the smallest form that replays it exactly.
     *
     * @param deltas  the deltas in order, ending with the finish and usage
     * @param relayed whether they hold an upstream's own chunks or completion ({@link ChatDelta.Passthrough})
     * @return the answer
     */
    static CachedAnswer of(List<ChatDelta> deltas, boolean relayed) {
        if (!relayed && deltas.size() == 3 && deltas.get(0) instanceof ChatDelta.Text(String text)
                && deltas.get(1) instanceof ChatDelta.Finish(FinishReason reason)
                && deltas.get(2) instanceof ChatDelta.Usage(TokenUsage usage)) {
            return new Text(text, reason, usage.promptTokens(), usage.completionTokens(), usage.cachedPromptTokens(),
                            Sizes.weight(Sizes.TEXT_ANSWER + Sizes.string(text)));
        }
        long weight = Sizes.DELTAS_ANSWER;
        for (ChatDelta delta : deltas) {
            weight += Sizes.of(delta);
        }
        return new Deltas(deltas, relayed, Sizes.weight(weight));
    }

    /**
     * Emits the answer.
     *
     * @param sink where the deltas go
     */
    void replay(ChatSink sink);

    /**
     * Whether the answer holds an upstream's own chunks or completion ({@link ChatDelta.Passthrough}).
     *
     * @return whether it was relayed
     */
    boolean relayed();

    /**
     * The entry's approximate size in bytes, key and cache bookkeeping included.
     *
     * @return the weight, at least 1
     */
    int weight();

    /**
     * Text, then a finish, then the usage.
     *
     * @param text               the text
     * @param finish             why it ended
     * @param promptTokens       the usage's prompt tokens
     * @param completionTokens   its completion tokens
     * @param cachedPromptTokens its prompt tokens read from a prompt cache
     * @param weight             the entry's approximate size
     */
    record Text(String text, FinishReason finish, long promptTokens, long completionTokens, long cachedPromptTokens,
                int weight) implements CachedAnswer {

        /**
         * Validates.
         */
        public Text {
            requireNonNull(text, "text is null");
            requireNonNull(finish, "finish is null");
        }

        @Override
        public void replay(ChatSink sink) {
            sink.emit(new ChatDelta.Text(text));
            sink.emit(new ChatDelta.Finish(finish));
            sink.emit(new ChatDelta.Usage(new TokenUsage(promptTokens, completionTokens, cachedPromptTokens)));
        }

        @Override
        public boolean relayed() {
            return false;
        }
    }

    /**
     * Any other answer, delta by delta.
     *
     * @param deltas  the deltas in order, ending with the finish and usage
     * @param relayed whether they hold an upstream's own chunks or completion
     * @param weight  the entry's approximate size
     */
    record Deltas(List<ChatDelta> deltas, boolean relayed, int weight) implements CachedAnswer {

        /**
         * Validates and copies.
         */
        public Deltas {
            deltas = List.copyOf(requireNonNull(deltas, "deltas is null"));
        }

        @Override
        public void replay(ChatSink sink) {
            for (ChatDelta delta : deltas) {
                sink.emit(delta);
            }
        }
    }
}
