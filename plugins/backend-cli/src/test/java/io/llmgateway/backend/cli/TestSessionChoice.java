package io.llmgateway.backend.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;
import io.llmgateway.testing.ManualClock;
import io.llmgateway.testing.TestPluginContext;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which session a request's tool results go to, decided on the pool's table without processes. */
final class TestSessionChoice {

    private static final SessionKey KEY = new SessionKey("claude-sonnet", "Be brief.");
    private static final ToolSet WEATHER = RequestTools.of(TestCliTools.tools("get_weather")).offered();

    private final PoolSessions table = new PoolSessions();
    private final SessionChoice choice = new SessionChoice(table);
    private final PoolMetrics metrics = new PoolMetrics(TestPluginContext.of(Map.of()).metrics());

    @Test
    void theResultsGoToTheSessionWaitingForExactlyThoseCalls() {
        CliSession paris = waiting("Paris?", "toolu_p");
        CliSession rome = waiting("Rome?", "toolu_r");

        assertEquals(rome, choice.forToolResults(KEY, affinity("Rome?", WEATHER, "toolu_r")).orElseThrow());
        assertEquals(paris, choice.forToolResults(KEY, affinity("Paris?", WEATHER, "toolu_p")).orElseThrow());
    }

    @Test
    void noSessionGoesOnWithOtherCallsOtherFunctionsOrAnotherHistory() {
        waiting("Paris?", "toolu_p");

        assertTrue(choice.forToolResults(KEY, affinity("Paris?", WEATHER, "toolu_x")).isEmpty());
        assertTrue(choice.forToolResults(KEY, affinity("Paris?", ToolSet.NONE, "toolu_p")).isEmpty());
        assertTrue(choice.forToolResults(KEY, affinity("Lyon?", WEATHER, "toolu_p")).isEmpty());
        assertTrue(choice.forToolResults(new SessionKey("claude-opus", "Be brief."), affinity("Paris?", WEATHER, "toolu_p"))
                           .isEmpty());
    }

    @Test
    void anIdleSessionNeverTakesToolResultsNorAWaitingOneANewMessage() {
        CliSession waiting = waiting("Paris?", "toolu_p");
        waiting.state(CliSession.State.IDLE); // its wait timed out and it was reset meanwhile

        assertTrue(choice.forToolResults(KEY, affinity("Paris?", WEATHER, "toolu_p")).isEmpty());
        waiting.state(CliSession.State.AWAITING_TOOLS);
        assertTrue(!waiting.holds(new Affinity(history("Paris?", "toolu_p"), WEATHER, Set.of())),
                   "a request without the results does not continue a waiting turn");
    }

    /** A session whose turn waits for one call, made in answer to the question. */
    private CliSession waiting(String question, String callId) {
        CliSession session = new CliSession("s-" + callId, KEY, CliSession.Origin.WARM, new ManualClock(),
                                            metrics, new Allowance(metrics));
        table.add(session);
        session.remember(Conversation.of(TestConversation.request(ChatMessage.of(Role.USER, question)),
                                         "Be brief."),
                         WEATHER, new TurnOutcome.AwaitingTools("", List.of(new ToolCall(callId, "get_weather", "{}"))));
        session.awaitTools(Instant.MAX);
        return session;
    }

    private static List<Conversation.Turn> history(String question, String callId) {
        return List.of(new Conversation.Turn(Role.USER, question),
                       Conversation.Turn.assistant("", List.of(new ToolCall(callId, "get_weather", "{}"))));
    }

    private static Affinity affinity(String question, ToolSet tools, String callId) {
        return new Affinity(history(question, callId), tools, Set.of(callId));
    }
}
