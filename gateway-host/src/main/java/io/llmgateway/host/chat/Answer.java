package io.llmgateway.host.chat;

import java.util.Optional;

import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.host.http.ErrorResponses;

/**
 * The client's side of a call: receives the deltas and answers either as one JSON object
 * ({@link JsonAnswer}) or as server-sent events ({@link StreamedAnswer}). Also notes what the request
 * log needs: time to first token and usage.
 */
abstract sealed class Answer implements ChatSink permits JsonAnswer, StreamedAnswer {

    final ServerResponse response;
    final HostExchange exchange;
    final CompletionJson.Head head;
    private final long startNanos;
    private long firstTokenNanos = -1;
    private TokenUsage usage;

    Answer(ServerResponse response, HostExchange exchange, CompletionJson.Head head, long startNanos) {
        this.response = response;
        this.exchange = exchange;
        this.head = head;
        this.startNanos = startNanos;
    }

    @Override
    public final void emit(ChatDelta delta) {
        switch (delta) {
            case ChatDelta.Text text -> noteFirstToken();
            case ChatDelta.ToolCallFragment fragment -> noteFirstToken();
            case ChatDelta.Passthrough passthrough -> noteFirstToken();
            case ChatDelta.Usage(TokenUsage counted) -> usage = counted;
            case ChatDelta.Finish finish -> { }
        }
        accept(delta);
    }

    /** Handles a delta on its way to the client. */
    abstract void accept(ChatDelta delta);

    /** The backend finished normally: send what is left. */
    abstract void complete();

    /** The call failed: tell the client in whatever way is still open. */
    abstract void fail(GatewayException error);

    /** Seconds from arrival to the first token, if there was one. */
    Optional<Double> timeToFirstToken() {
        return firstTokenNanos < 0 ? Optional.empty() : Optional.of((firstTokenNanos - startNanos) / 1e9);
    }

    Optional<TokenUsage> usage() {
        return Optional.ofNullable(usage);
    }

    /** Sets the headers middleware asked for; call once, before anything is sent. */
    void applyMiddlewareHeaders() {
        exchange.commitResponseHeaders().forEach(response::header);
    }

    /** Sends an error as the whole response. */
    void sendError(GatewayException error) {
        ErrorResponses.send(response, error, exchange.commitResponseHeaders());
    }

    private void noteFirstToken() {
        if (firstTokenNanos < 0) {
            firstTokenNanos = System.nanoTime();
        }
    }
}
