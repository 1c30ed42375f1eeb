package io.llmgateway.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.TokenUsage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule from a stream of Anthropic events to deltas, as the Messages API sends them and the CLI
 * prints them.
 */
final class TestAnthropicStream {

    private final List<ChatDelta> deltas = new ArrayList<>();
    private final AnthropicStream stream = new AnthropicStream(deltas::add);

    @Test
    void textAndToolUseBlocksBecomeDeltas() {
        accept("""
                {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":12,"output_tokens":1,"cache_read_input_tokens":3}}}""",
               """
                {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}""",
               """
                {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}""",
               """
                {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"x"}}""",
               """
                {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""",
               """
                {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hel"}}""",
               """
                {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"lo"}}""",
               """
                {"type":"content_block_stop","index":1}""",
               """
                {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_9","name":"lookup","input":{}}}""",
               """
                {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":"}}""",
               """
                {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}""",
               """
                {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\\"x\\"}"}}""",
               """
                {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_10","name":"time","input":{}}}""",
               """
                {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}""");

        assertEquals(AnthropicStream.Step.ENDED, stream.accept(Jsons.parse("{\"type\":\"message_stop\"}")));
        stream.finish();

        assertEquals(List.of(new ChatDelta.Text("Hel"), new ChatDelta.Text("lo"),
                             new ChatDelta.ToolCallFragment(0, Optional.of("toolu_9"), Optional.of("lookup"), ""),
                             new ChatDelta.ToolCallFragment(0, Optional.empty(), Optional.empty(), "{\"q\":"),
                             new ChatDelta.ToolCallFragment(0, Optional.empty(), Optional.empty(), "\"x\"}"),
                             new ChatDelta.ToolCallFragment(1, Optional.of("toolu_10"), Optional.of("time"), ""),
                             new ChatDelta.Finish(FinishReason.TOOL_CALLS),
                             new ChatDelta.Usage(new TokenUsage(15, 9, 3))),
                     deltas, "thinking is left out; tool calls are numbered among tool calls, not blocks");
        ChatCompletion completion = ChatCompletion.of(deltas);
        assertEquals("{\"q\":\"x\"}", completion.toolCalls().getFirst().arguments());
        assertEquals("time", completion.toolCalls().get(1).name());
    }

    @Test
    void theStopReasonAndUsageAreKnownBeforeTheEnd() {
        accept("""
                {"type":"message_start","message":{"usage":{"input_tokens":4,"cache_creation_input_tokens":6}}}""",
               """
                {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":2}}""");

        assertEquals(Optional.of("max_tokens"), stream.stopReason());
        assertEquals(FinishReason.LENGTH, stream.finishReason());
        assertEquals(new TokenUsage(10, 2, 0), stream.usage());
        assertTrue(deltas.isEmpty(), "finish and usage wait for finish()");
    }

    @Test
    void aMessageWithoutAStopReasonFinishesAsStop() {
        stream.finish();

        assertEquals(List.of(new ChatDelta.Finish(FinishReason.STOP), new ChatDelta.Usage(TokenUsage.of(0, 0))), deltas);
    }

    @Test
    void anErrorEventFailsTheMessage() {
        AnthropicStream.Step.Failed overloaded = assertInstanceOf(AnthropicStream.Step.Failed.class, stream.accept(
                Jsons.parse("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        AnthropicStream.Step.Failed invalid = assertInstanceOf(AnthropicStream.Step.Failed.class, stream.accept(
                Jsons.parse("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}")));

        assertEquals(503, overloaded.error().status());
        assertEquals(FailureKind.OVERLOADED, overloaded.error().failureKind());
        assertTrue(overloaded.error().getMessage().contains("Overloaded"));
        assertTrue(overloaded.retryable());
        assertEquals(400, invalid.error().status());
        assertEquals(FailureKind.INVALID_REQUEST, invalid.error().failureKind());
        assertFalse(invalid.retryable());
    }

    @Test
    void anErrorEventIsClassifiedByItsType() {
        assertEquals(FailureKind.RATE_LIMITED, failed("rate_limit_error", "Slow down").error().failureKind());
        assertEquals(FailureKind.SERVER, failed("api_error", "Internal server error").error().failureKind());
        assertEquals(FailureKind.CONTEXT_WINDOW, failed("invalid_request_error", "prompt is too long: 3 > 2")
                .error().failureKind());
        assertEquals(List.of(), deltas, "an error event emits nothing");
    }

    private AnthropicStream.Step.Failed failed(String type, String message) {
        return assertInstanceOf(AnthropicStream.Step.Failed.class, stream.accept(Jsons.parse(
                "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}")));
    }

    @Test
    void unknownEventsAndBlocksAreSkipped() {
        accept("{\"type\":\"ping\"}", "{\"type\":\"a_future_event\"}", "{\"no\":\"type\"}",
               "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"s\"}}",
               "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}",
               "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"citations_delta\"}}",
               "{\"type\":\"content_block_delta\"}");

        assertTrue(deltas.isEmpty(), "a server tool's input is not a client tool call");
    }

    @Test
    void theAnswerToolsInputIsTheAnswersText() {
        AnthropicStream answer = new AnthropicStream(deltas::add, Optional.of("json_answer"));

        for (String event : List.of(
                "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"json_answer\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":4}}")) {
            answer.accept(Jsons.parse(event));
        }
        answer.finish();

        assertEquals(List.of(new ChatDelta.Text("{\"a\":"), new ChatDelta.Text("1}"), new ChatDelta.Finish(FinishReason.STOP),
                             new ChatDelta.Usage(TokenUsage.of(5, 4))), deltas);
    }

    @Test
    void aClientToolCalledBesideTheAnswerToolStillFinishesAsToolCalls() {
        AnthropicStream answer = new AnthropicStream(deltas::add, Optional.of("json_answer"));

        answer.accept(Jsons.parse("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                                          + "\"id\":\"t1\",\"name\":\"search\",\"input\":{}}}"));
        answer.accept(Jsons.parse("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}"));

        assertEquals(FinishReason.TOOL_CALLS, answer.finishReason());
        assertEquals(new ChatDelta.ToolCallFragment(0, Optional.of("t1"), Optional.of("search"), ""), deltas.getFirst());
    }

    private void accept(String... events) {
        for (String event : events) {
            assertEquals(AnthropicStream.Step.MORE, stream.accept(Jsons.parse(event)), event);
        }
    }
}
