package io.llmgateway.host.chat;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.GatewayException;

/**
 * A non-streaming answer: collects the deltas and sends one {@code chat.completion} at the end (the
 * upstream's own, when the backend relays one).
 */
final class JsonAnswer extends Answer {

    private final List<ChatDelta> deltas = new ArrayList<>();
    private ChatDelta.Passthrough upstreamCompletion;

    JsonAnswer(ServerResponse response, HostExchange exchange, CompletionJson.Head head, long startNanos) {
        super(response, exchange, head, startNanos);
    }

    @Override
    void accept(ChatDelta delta) {
        if (delta instanceof ChatDelta.Passthrough passthrough) {
            upstreamCompletion = passthrough;
        } else {
            deltas.add(delta);
        }
    }

    @Override
    void complete() {
        String json = upstreamCompletion != null
                ? upstreamCompletion.object().toString()
                : CompletionJson.completion(head, ChatCompletion.of(deltas));
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        applyMiddlewareHeaders();
        response.status(Status.OK_200).header(HeaderValues.CONTENT_TYPE_JSON);
        try {
            response.send(body);
        } catch (UncheckedIOException | CloseConnectionException e) {
            throw new ClientDisconnectedException(e);
        }
    }

    @Override
    void fail(GatewayException error) {
        try {
            sendError(error);
        } catch (UncheckedIOException | CloseConnectionException e) {
            // the client is gone; the error was logged with the request
        }
    }
}
