package io.llmgateway.backend.cli;

import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;

/**
 * A non-streamed answer's deltas, held back until its turn has ended: the client sees nothing before the
 * end anyway, so a turn whose process dies half-way can be served again on another session without the
 * client or the middleware ever seeing the first attempt's part of the answer.
 */
final class PendingAnswer implements ChatSink {

    private final List<ChatDelta> deltas = new ArrayList<>();

    @Override
    public void emit(ChatDelta delta) {
        deltas.add(delta);
    }

    /**
     * Passes the whole answer on, in order.
     *
     * @param sink where the answer goes
     */
    void deliverTo(ChatSink sink) {
        deltas.forEach(sink::emit);
    }
}
