package io.llmgateway.host.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.host.http.ErrorResponses;

/**
 * A streaming answer: server-sent events of {@code chat.completion.chunk} objects, each written and
 * flushed as its delta arrives. The response starts with the first delta, so a call that fails before
 * producing anything still gets a proper HTTP error status.
 *
 * <p>The events are framed here rather than by Helidon's SSE sink, which only serves clients that send
 * {@code Accept: text/event-stream}; the OpenAI SDKs send {@code Accept: application/json}.
 */
final class StreamedAnswer extends Answer {

    /** Asks proxies such as nginx to pass each event on at once. */
    private static final Header NO_PROXY_BUFFERING = HeaderValues.create("x-accel-buffering", "no");
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final boolean includeUsage;
    private OutputStream out;
    private boolean finished;
    private boolean sawToolCall;
    /** Whether the backend relays an upstream's own chunks, which then replace the gateway's. */
    private boolean passthrough;

    StreamedAnswer(ServerResponse response, HostExchange exchange, CompletionJson.Head head, long startNanos,
                   boolean includeUsage) {
        super(response, exchange, head, startNanos);
        this.includeUsage = includeUsage;
    }

    @Override
    void accept(ChatDelta delta) {
        if (out == null && delta instanceof ChatDelta.Passthrough) {
            passthrough = true;
        }
        startIfNeeded();
        if (passthrough) {
            if (delta instanceof ChatDelta.Passthrough(var chunk)) {
                event(chunk.toString());
            }
            return;
        }
        switch (delta) {
            case ChatDelta.Text(String text) -> event(CompletionJson.textChunk(head, text));
            case ChatDelta.ToolCallFragment fragment -> {
                sawToolCall = true;
                event(CompletionJson.toolCallChunk(head, fragment));
            }
            case ChatDelta.Finish(FinishReason reason) -> finish(reason);
            case ChatDelta.Usage counted -> { } // sent after the finish chunk, if asked for
            case ChatDelta.Passthrough ignored -> { } // not mixed with the gateway's own chunks
        }
    }

    @Override
    void complete() {
        startIfNeeded();
        if (passthrough) {
            write(DONE);
            close();
            return;
        }
        finish(sawToolCall ? FinishReason.TOOL_CALLS : FinishReason.STOP);
        if (includeUsage) {
            usage().ifPresent(usage -> event(CompletionJson.usageChunk(head, usage)));
        }
        write(DONE);
        close();
    }

    @Override
    void fail(GatewayException error) {
        if (out == null) {
            try {
                sendError(error);
            } catch (UncheckedIOException | CloseConnectionException e) {
                // the client is gone
            }
            return;
        }
        try {
            event(ErrorResponses.body(error));
            close();
        } catch (ClientDisconnectedException e) {
            // the client is gone; the error was logged with the request
        }
    }

    private void startIfNeeded() {
        if (out != null) {
            return;
        }
        applyMiddlewareHeaders();
        response.status(Status.OK_200)
                .header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .header(HeaderNames.CACHE_CONTROL, "no-cache")
                .header(NO_PROXY_BUFFERING);
        try {
            out = response.outputStream();
        } catch (UncheckedIOException | CloseConnectionException e) {
            throw new ClientDisconnectedException(e);
        }
        if (!passthrough) {
            event(CompletionJson.roleChunk(head));
        }
    }

    private void finish(FinishReason reason) {
        if (!finished) {
            finished = true;
            event(CompletionJson.finishChunk(head, reason));
        }
    }

    private void event(String json) {
        write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException | UncheckedIOException | CloseConnectionException e) {
            throw new ClientDisconnectedException(e);
        }
    }

    private void close() {
        try {
            out.close();
        } catch (IOException | UncheckedIOException | CloseConnectionException e) {
            throw new ClientDisconnectedException(e);
        }
    }
}
