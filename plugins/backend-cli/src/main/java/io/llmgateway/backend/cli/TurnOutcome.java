package io.llmgateway.backend.cli;

import java.util.List;

import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ToolCall;

/**
 * How a user turn on a CLI process ended, and whether the process can serve again.
 */
sealed interface TurnOutcome {

    /**
     * The answer was sent, ending with finish reason and usage.
     *
     * @param modelText the whole text the model produced (what the session's context now holds)
     * @param cut       whether the gateway cut the answer (stop sequence, max_tokens), so the client saw
     *                  less than the context holds
     */
    record Answered(String modelText, boolean cut) implements TurnOutcome {
    }

    /**
     * The model called the client's functions: the answer was sent, ending with finish reason
     * {@code tool_calls}, while the CLI's turn goes on, waiting for the results (its {@code tools/call}s
     * pending on the session). The process serves nobody else until the client brings them or the wait times out.
     *
     * @param modelText the text the model wrote before the calls
     * @param calls     the calls, as the client got them (ids, its function names, the arguments' JSON)
     */
    record AwaitingTools(String modelText, List<ToolCall> calls) implements TurnOutcome {
        public AwaitingTools {
            calls = List.copyOf(calls);
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("a turn awaiting tools has calls");
            }
        }
    }

    /**
     * The turn failed in a way the client should see.
     *
     * @param error          the error for the client
     * @param sessionUsable  whether the turn still ended cleanly, leaving the process usable
     */
    record Failed(GatewayException error, boolean sessionUsable) implements TurnOutcome {
    }

    /**
     * The Claude subscription's usage limit refused the turn. The turn ended cleanly, so the session can serve
     * again; the whole pool refuses requests until the limit resets, since every session runs on the same login.
     *
     * @param limit the limit and its reset
     */
    record OutOfUsage(UsageLimit limit) implements TurnOutcome {
    }

    /**
     * The process exited during the turn.
     *
     * @param emittedAnything whether part of the answer went into the turn's sink (for a stream: to the client)
     * @param exitStatus      the process's exit status
     * @param stderr          the end of its stderr
     */
    record Died(boolean emittedAnything, int exitStatus, String stderr) implements TurnOutcome {
    }

    /**
     * The client went away; the turn was interrupted.
     *
     * @param cause         the disconnect
     * @param sessionUsable whether the interrupted turn ended cleanly
     */
    record ClientGone(ClientDisconnectedException cause, boolean sessionUsable) implements TurnOutcome {
    }
}
