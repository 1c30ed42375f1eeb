package io.llmgateway.anthropic;

import io.llmgateway.api.TokenUsage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Anthropic's input, cache-write, cache-read and output counts as OpenAI's.
 */
final class TestAnthropicUsage {

    @Test
    void promptTokensAreInputPlusBothCacheCounts() {
        TokenUsage usage = AnthropicUsage.of(Jsons.parse("""
                {"input_tokens":20,"cache_creation_input_tokens":5,"cache_read_input_tokens":100,"output_tokens":15}"""));

        assertEquals(new TokenUsage(125, 15, 100), usage);
    }

    @Test
    void aLaterObjectReplacesTheFieldsItHas() {
        AnthropicUsage tally = new AnthropicUsage();

        tally.read(Jsons.parse("{\"input_tokens\":12,\"cache_read_input_tokens\":3,\"output_tokens\":1}"));
        tally.read(Jsons.parse("{\"output_tokens\":9}"));

        assertEquals(new TokenUsage(15, 9, 3), tally.total(), "message_delta's output is cumulative, not added");
    }

    @Test
    void missingOrNullFieldsCountNothing() {
        assertEquals(TokenUsage.of(0, 0), AnthropicUsage.of(Jsons.parse("{\"input_tokens\":null,\"server_tool_use\":{}}")));
    }
}
