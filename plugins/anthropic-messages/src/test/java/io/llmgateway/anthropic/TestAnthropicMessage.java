package io.llmgateway.anthropic;

import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.TokenUsage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A whole Anthropic message as deltas.
 */
final class TestAnthropicMessage {

    private final List<ChatDelta> deltas = new ArrayList<>();

    @Test
    void textAndToolUseBecomeAnAnswer() {
        AnthropicMessage.read(Jsons.parse("""
                {"id":"msg_1","type":"message","role":"assistant","content":[
                  {"type":"thinking","thinking":"hmm"},
                  {"type":"text","text":"Let me check."},
                  {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo"}},
                  {"type":"tool_use","id":"toolu_2","name":"time"}],
                 "stop_reason":"tool_use",
                 "usage":{"input_tokens":20,"output_tokens":15,"cache_read_input_tokens":100,"cache_creation_input_tokens":5}}"""),
                              deltas::add);

        ChatCompletion completion = ChatCompletion.of(deltas);
        assertEquals("Let me check.", completion.text());
        assertEquals("toolu_1", completion.toolCalls().getFirst().id());
        assertEquals("weather", completion.toolCalls().getFirst().name());
        assertEquals("{\"city\":\"Oslo\"}", completion.toolCalls().getFirst().arguments());
        assertEquals("{}", completion.toolCalls().get(1).arguments(), "a tool_use without input has empty arguments");
        assertEquals(FinishReason.TOOL_CALLS, completion.finishReason());
        assertEquals(new TokenUsage(125, 15, 100), completion.usage().orElseThrow());
    }

    @Test
    void aRefusalIsAContentFilter() {
        AnthropicMessage.read(Jsons.parse("{\"content\":[],\"stop_reason\":\"refusal\",\"usage\":{\"input_tokens\":3}}"),
                              deltas::add);

        assertEquals(List.of(new ChatDelta.Finish(FinishReason.CONTENT_FILTER), new ChatDelta.Usage(TokenUsage.of(3, 0))),
                     deltas);
    }

    @Test
    void aMessageWithoutContentIsABadGateway() {
        GatewayException e = assertThrows(GatewayException.class,
                                          () -> AnthropicMessage.read(Jsons.parse("{\"type\":\"message\"}"), deltas::add));

        assertEquals(502, e.status());
    }
}
