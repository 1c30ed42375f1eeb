package io.llmgateway.middleware.cache;

import java.util.List;
import java.util.Optional;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.testing.RecordingSink;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestCachedAnswer {

    private static final ChatDelta.Text TEXT = new ChatDelta.Text("Hello there, ünïcödé ✓");
    private static final ChatDelta.Finish LENGTH = new ChatDelta.Finish(FinishReason.LENGTH);
    private static final ChatDelta.Usage USAGE = new ChatDelta.Usage(new TokenUsage(12, 34, 5));

    @Test
    void textAloneIsKeptCompactAndReplaysAsGiven() {
        List<ChatDelta> deltas = List.of(TEXT, LENGTH, USAGE);

        CachedAnswer answer = CachedAnswer.of(deltas, false);

        assertInstanceOf(CachedAnswer.Text.class, answer);
        assertEquals(deltas, replayed(answer));
        assertTrue(answer.weight() < CachedAnswer.of(deltas, true).weight(), "smaller than as a list of deltas");
    }

    @Test
    void everyOtherShapeIsKeptDeltaByDelta() {
        List<List<ChatDelta>> shapes = List.of(
                List.of(TEXT, USAGE, LENGTH),
                List.of(LENGTH, USAGE),
                List.of(TEXT, LENGTH),
                List.of(new ChatDelta.ToolCallFragment(0, Optional.of("call_1"), Optional.of("f"), "{}"), LENGTH, USAGE),
                List.of(TEXT, new ChatDelta.ToolCallFragment(0, Optional.of("call_1"), Optional.of("f"), "{}"), LENGTH,
                        USAGE));
        for (List<ChatDelta> deltas : shapes) {
            CachedAnswer answer = CachedAnswer.of(deltas, false);

            assertInstanceOf(CachedAnswer.Deltas.class, answer, deltas.toString());
            assertEquals(deltas, replayed(answer));
        }
    }

    @Test
    void aRelayedAnswerKeepsItsDeltas() {
        CachedAnswer answer = CachedAnswer.of(List.of(TEXT, LENGTH, USAGE), true);

        assertInstanceOf(CachedAnswer.Deltas.class, answer);
        assertTrue(answer.relayed());
    }

    private static List<ChatDelta> replayed(CachedAnswer answer) {
        RecordingSink sink = new RecordingSink();
        answer.replay(sink);
        return sink.deltas();
    }
}
