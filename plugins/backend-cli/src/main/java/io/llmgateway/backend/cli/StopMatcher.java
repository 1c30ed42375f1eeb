package io.llmgateway.backend.cli;

import java.util.List;

/**
 * Applies OpenAI {@code stop} sequences to streamed text, which the CLI cannot do itself. Text is
 * passed on as it arrives, except for a tail that could still turn out to be the start of a stop
 * sequence; that tail waits for the next delta. Once a stop sequence appears, the text before it is
 * the last to pass.
 */
final class StopMatcher {

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean matched;

    StopMatcher(List<String> stops) {
        this.stops = List.copyOf(stops);
    }

    /**
     * Takes a delta.
     *
     * @param delta the new text
     * @return the text that can be sent now (possibly empty)
     */
    String accept(String delta) {
        if (matched) {
            return "";
        }
        if (stops.isEmpty()) {
            return delta;
        }
        pending.append(delta);
        int stopAt = earliestStop();
        if (stopAt >= 0) {
            matched = true;
            String before = pending.substring(0, stopAt);
            pending.setLength(0);
            return before;
        }
        int keep = longestPossibleStart();
        String ready = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return ready;
    }

    /**
     * The text held back when the answer ends without a stop sequence.
     *
     * @return the remaining text
     */
    String flush() {
        String rest = matched ? "" : pending.toString();
        pending.setLength(0);
        return rest;
    }

    boolean matched() {
        return matched;
    }

    private int earliestStop() {
        int earliest = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    /** Length of the longest end of the pending text that is a proper prefix of some stop sequence. */
    private int longestPossibleStart() {
        String text = pending.toString();
        int longest = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, text.length()); length > longest; length--) {
                if (text.regionMatches(text.length() - length, stop, 0, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
