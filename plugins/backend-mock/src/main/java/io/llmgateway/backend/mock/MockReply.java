package io.llmgateway.backend.mock;

import java.util.List;

import io.llmgateway.api.ToolCall;

import static java.util.Objects.requireNonNull;

/**
 * What the mock answers a turn with: content (text or a JSON document) or tool calls.
 */
sealed interface MockReply {

    /**
     * Content for the client.
     *
     * @param text the text or JSON document
     */
    record Content(String text) implements MockReply {
        /**
         * Validates.
         */
        public Content {
            requireNonNull(text, "text is null");
        }
    }

    /**
     * Tool calls, whose results the client sends back.
     *
     * @param calls the calls, at least one
     */
    record Calls(List<ToolCall> calls) implements MockReply {
        /**
         * Validates and copies.
         */
        public Calls {
            calls = List.copyOf(calls);
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("calls is empty");
            }
        }
    }
}
