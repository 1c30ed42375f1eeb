package io.llmgateway.middleware.cache;

import java.util.List;

import io.llmgateway.api.ChatDelta;

import static java.util.Objects.requireNonNull;

/**
 * A complete answer as the backend emitted it, replayed delta by delta on a hit. Immutable (the deltas
 * are records of strings and immutable JSON), so many requests replay one entry at once.
 *
 * @param deltas  the deltas in order, ending with the finish and usage
 * @param relayed whether they hold an upstream's own chunks or completion ({@link ChatDelta.Passthrough})
 * @param weight  the entry's approximate size in bytes, key and cache bookkeeping included
 */
record CachedAnswer(List<ChatDelta> deltas, boolean relayed, int weight) {

    /**
     * Validates and copies.
     */
    CachedAnswer {
        deltas = List.copyOf(requireNonNull(deltas, "deltas is null"));
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be positive: " + weight);
        }
    }
}
