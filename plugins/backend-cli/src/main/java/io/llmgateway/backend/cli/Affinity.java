package io.llmgateway.backend.cli;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What a session must hold for a request to go on there instead of starting over: the conversation before
 * the request's new input, with the same functions listed; for a request that brings tool results, also a
 * turn waiting for exactly those calls.
 *
 * @param history       the dialogue before the request's last user message or its trailing tool results
 * @param tools         the functions the request lists
 * @param answeredCalls the ids of the tool calls the request answers; empty when it ends with a user message
 */
record Affinity(List<Conversation.Turn> history, ToolSet tools, Set<String> answeredCalls) {

    Affinity {
        history = List.copyOf(history);
        requireNonNull(tools, "tools is null");
        answeredCalls = Set.copyOf(answeredCalls);
    }

    /** Affinity by the dialogue alone: no functions, no tool results. */
    static Affinity of(List<Conversation.Turn> history) {
        return new Affinity(history, ToolSet.NONE, Set.of());
    }

    /** Whether the request answers tool calls, so only a session waiting for them can go on with it. */
    boolean answersCalls() {
        return !answeredCalls.isEmpty();
    }
}
