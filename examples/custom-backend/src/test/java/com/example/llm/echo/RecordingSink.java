package com.example.llm.echo;

import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;

/**
 * Keeps every delta the backend emits, in order, for the test to look at.
 */
final class RecordingSink implements ChatSink {

    private final List<ChatDelta> deltas = new ArrayList<>();

    @Override
    public void emit(ChatDelta delta) {
        deltas.add(delta);
    }

    List<ChatDelta> deltas() {
        return deltas;
    }

    /** The text deltas alone: what a streaming client receives as content chunks. */
    List<String> texts() {
        return deltas.stream()
                .filter(ChatDelta.Text.class::isInstance)
                .map(delta -> ((ChatDelta.Text) delta).text())
                .toList();
    }
}
