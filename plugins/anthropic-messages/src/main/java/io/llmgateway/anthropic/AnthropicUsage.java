package io.llmgateway.anthropic;

import io.llmgateway.api.TokenUsage;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * Adds up an answer's Anthropic {@code usage} objects into OpenAI's token counts. Anthropic counts
 * uncached input, cache writes and cache reads apart; OpenAI's {@code prompt_tokens} is all of them, with
 * the cache reads as {@code cached_tokens}. A stream reports usage more than once ({@code message_start}
 * the input, {@code message_delta} the cumulative output, sometimes the input again): a field read later
 * replaces the one read before, and a field a later object lacks keeps its value.
 */
public final class AnthropicUsage {

    private long input;
    private long cacheCreation;
    private long cacheRead;
    private long output;

    /**
     * The token counts of one {@code usage} object.
     *
     * @param usage an Anthropic {@code usage} object
     * @return the counts
     */
    public static TokenUsage of(JsonObject usage) {
        AnthropicUsage tally = new AnthropicUsage();
        tally.read(usage);
        return tally.total();
    }

    /**
     * Reads one more {@code usage} object of the answer.
     *
     * @param usage an Anthropic {@code usage} object
     */
    public void read(JsonObject usage) {
        input = count(usage, "input_tokens", input);
        cacheCreation = count(usage, "cache_creation_input_tokens", cacheCreation);
        cacheRead = count(usage, "cache_read_input_tokens", cacheRead);
        output = count(usage, "output_tokens", output);
    }

    /** {@return the counts read so far, as OpenAI counts them} */
    public TokenUsage total() {
        return new TokenUsage(input + cacheCreation + cacheRead, output, cacheRead);
    }

    private static long count(JsonObject usage, String name, long previous) {
        return usage.get(name) instanceof JsonNumber number ? Math.max(0, number.longValue()) : previous;
    }
}
