package io.llmgateway.backend.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.TokenUsage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading an Anthropic answer off the wire, whole or as server-sent events; the translation rules
 * themselves are tested in the anthropic-messages library.
 */
final class TestAnthropicAnswers {

    private final List<ChatDelta> deltas = new ArrayList<>();

    @Test
    void aWholeMessageWithTextAndToolUse() {
        AnthropicAnswers answers = new AnthropicAnswers(deltas::add, false);

        answers.readMessage(Requests.json("""
                {"id":"msg_1","type":"message","role":"assistant","content":[
                  {"type":"thinking","thinking":"hmm"},
                  {"type":"text","text":"Let me check."},
                  {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo"}}],
                 "stop_reason":"tool_use",
                 "usage":{"input_tokens":20,"output_tokens":15,"cache_read_input_tokens":100,"cache_creation_input_tokens":5}}"""));

        ChatCompletion completion = ChatCompletion.of(deltas);
        assertEquals("Let me check.", completion.text());
        assertEquals("toolu_1", completion.toolCalls().getFirst().id());
        assertEquals("weather", completion.toolCalls().getFirst().name());
        assertEquals("{\"city\":\"Oslo\"}", completion.toolCalls().getFirst().arguments());
        assertEquals(FinishReason.TOOL_CALLS, completion.finishReason());
        assertEquals(new TokenUsage(125, 15, 100), completion.usage().orElseThrow());
    }

    @Test
    void aStreamIsTranslatedEventByEvent() throws IOException {
        AnthropicAnswers answers = new AnthropicAnswers(deltas::add, true);

        answers.readStream(sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":12,"output_tokens":1,"cache_read_input_tokens":3}}}

                event: ping
                data: {"type":"ping"}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"lookup","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"x\\"}"}}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}

                event: message_stop
                data: {"type":"message_stop"}

                """));

        assertEquals(new ChatDelta.Text("Hel"), deltas.get(0));
        assertEquals(new ChatDelta.Text("lo"), deltas.get(1));
        ChatDelta.ToolCallFragment start = (ChatDelta.ToolCallFragment) deltas.get(2);
        assertEquals(0, start.index(), "tool calls are numbered among tool calls, not content blocks");
        assertEquals("toolu_9", start.id().orElseThrow());
        ChatCompletion completion = ChatCompletion.of(deltas);
        assertEquals("{\"q\":\"x\"}", completion.toolCalls().getFirst().arguments());
        assertEquals(FinishReason.TOOL_CALLS, completion.finishReason());
        assertEquals(new TokenUsage(15, 9, 3), completion.usage().orElseThrow());
    }

    @Test
    void anErrorEventEndsTheStream() {
        AnthropicAnswers answers = new AnthropicAnswers(deltas::add, true);

        GatewayException error = assertThrows(GatewayException.class, () -> answers.readStream(sse("""
                event: message_start
                data: {"type":"message_start","message":{"usage":{"input_tokens":1}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"par"}}

                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """)));

        assertEquals(503, error.status());
        assertEquals(FailureKind.OVERLOADED, error.failureKind());
        assertTrue(error.getMessage().contains("Overloaded"));
        assertEquals(List.of(new ChatDelta.Text("par")), deltas);
    }

    @Test
    void messageStartAndPingAreNotDeltas() {
        AnthropicAnswers answers = new AnthropicAnswers(deltas::add, true);

        GatewayException error = assertThrows(GatewayException.class, () -> answers.readStream(sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":12,"output_tokens":1}}}

                event: ping
                data: {"type":"ping"}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: ping
                data: {"type":"ping"}

                event: error
                data: {"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}

                """)));

        assertEquals(FailureKind.RATE_LIMITED, error.failureKind());
        assertEquals(429, error.status());
        assertEquals(List.of(), deltas, "nothing before the answer began");
    }

    @Test
    void aStreamThatEndsEarlyIsAnError() {
        AnthropicAnswers answers = new AnthropicAnswers(deltas::add, true);

        GatewayException e = assertThrows(GatewayException.class, () -> answers.readStream(sse("""
                event: message_start
                data: {"type":"message_start","message":{"usage":{"input_tokens":1}}}

                """)));

        assertEquals("The stream from Anthropic ended after 1 event, before message_stop", e.getMessage());
        assertEquals(502, e.status());
        assertEquals(FailureKind.SERVER, e.failureKind());
        assertEquals(List.of(), deltas, "nothing reached the client");
    }

    @Test
    void malformedJsonIsABadGateway() {
        AnthropicAnswers answers = new AnthropicAnswers(deltas::add, true);

        GatewayException e = assertThrows(GatewayException.class, () -> answers.readStream(sse("data: {nope\n\n")));

        assertEquals(502, e.status());
        assertEquals(FailureKind.SERVER, e.failureKind());
    }

    private static SseReader sse(String text) {
        return new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
