package io.llmgateway.api;

/**
 * Token counts of one call.
 *
 * @param promptTokens       input tokens, cached ones included
 * @param completionTokens   output tokens
 * @param cachedPromptTokens the part of the input served from a prompt cache
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedPromptTokens) {

    /**
     * Validates.
     */
    public TokenUsage {
        if (promptTokens < 0 || completionTokens < 0 || cachedPromptTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /**
     * Usage without a prompt cache.
     *
     * @param promptTokens     input tokens
     * @param completionTokens output tokens
     * @return the usage
     */
    public static TokenUsage of(long promptTokens, long completionTokens) {
        return new TokenUsage(promptTokens, completionTokens, 0);
    }

    /**
     * Input plus output.
     *
     * @return the total
     */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
