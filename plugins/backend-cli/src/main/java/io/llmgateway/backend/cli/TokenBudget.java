package io.llmgateway.backend.cli;

import java.util.OptionalInt;

/**
 * Enforces {@code max_tokens}, which the CLI has no option for. The CLI reports real token counts only
 * when a turn ends, so the gateway estimates as text streams: one token per 4 characters, rounded up
 * (Anthropic's tokenizers average about 3.5 to 4 characters per English token). When the estimate
 * reaches the limit the text is cut there and the turn interrupted, with {@code finish_reason: length}.
 */
final class TokenBudget {

    static final int CHARS_PER_TOKEN = 4;

    private final long maxChars;
    private long usedChars;

    TokenBudget(OptionalInt maxTokens) {
        this.maxChars = maxTokens.isPresent() ? (long) maxTokens.getAsInt() * CHARS_PER_TOKEN : Long.MAX_VALUE;
    }

    /**
     * Takes text, returning the part that fits.
     *
     * @param text text about to be sent
     * @return the text that fits in the budget
     */
    String take(String text) {
        long room = maxChars - usedChars;
        if (text.length() <= room) {
            usedChars += text.length();
            return text;
        }
        int cut = (int) Math.max(0, room);
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--; // never split a surrogate pair
        }
        usedChars = maxChars;
        return text.substring(0, cut);
    }

    boolean exhausted() {
        return usedChars >= maxChars;
    }
}
