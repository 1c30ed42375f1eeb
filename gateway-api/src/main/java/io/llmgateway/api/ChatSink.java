package io.llmgateway.api;

/**
 * Receives the deltas of an answer on their way to the client. Each delta is sent as soon as it is
 * emitted, so a streaming client sees it at once.
 */
@FunctionalInterface
public interface ChatSink {

    /**
     * Emits one delta.
     *
     * @param delta the delta
     * @throws ClientDisconnectedException when the client has gone away; the caller should stop
     */
    void emit(ChatDelta delta);
}
