package io.llmgateway.anthropic;

import java.util.Optional;

import io.llmgateway.api.FinishReason;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every stop reason Anthropic documents, and the finish reason it becomes.
 */
final class TestStopReason {

    @Test
    void eachStopReasonMaps() {
        assertEquals(FinishReason.STOP, finish("end_turn"));
        assertEquals(FinishReason.STOP, finish("stop_sequence"));
        assertEquals(FinishReason.LENGTH, finish("max_tokens"));
        assertEquals(FinishReason.TOOL_CALLS, finish("tool_use"));
        assertEquals(FinishReason.CONTENT_FILTER, finish("refusal"));
        assertEquals(FinishReason.STOP, finish("pause_turn"));
        assertEquals(FinishReason.LENGTH, finish("model_context_window_exceeded"));
    }

    @Test
    void noneOrAnUnknownOneIsAStop() {
        assertEquals(FinishReason.STOP, StopReason.finishReasonOf(Optional.empty()));
        assertEquals(FinishReason.STOP, finish("a_reason_from_the_future"));
        assertEquals(Optional.empty(), StopReason.fromWireName("a_reason_from_the_future"));
    }

    @Test
    void wireNamesRoundTrip() {
        for (StopReason reason : StopReason.values()) {
            assertEquals(Optional.of(reason), StopReason.fromWireName(reason.wireName()));
        }
        for (FinishReason reason : FinishReason.values()) {
            assertEquals(Optional.of(reason), FinishReason.fromWireName(reason.wireName()), "the SPI's lookup");
        }
        assertEquals(Optional.empty(), FinishReason.fromWireName("end_turn"));
    }

    private static FinishReason finish(String stopReason) {
        return StopReason.finishReasonOf(Optional.of(stopReason));
    }
}
