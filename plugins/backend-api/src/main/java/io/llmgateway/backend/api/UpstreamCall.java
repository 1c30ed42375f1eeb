package io.llmgateway.backend.api;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

import static java.lang.System.Logger.Level.WARNING;

/**
 * One upstream call, one attempt: the host's router owns retries and fallbacks, so a call that also retried
 * would multiply them. A failure becomes the client's error, classified for the router
 * ({@link GatewayException#failureKind()}): an error status by {@link UpstreamErrors}, a failure below HTTP in
 * words by {@link ConnectionFailures} (and on the log as one line with the exception), a broken answer by its
 * reader.
 */
final class UpstreamCall {

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final UpstreamClient client;
    private final String upstream;
    private final Duration connectTimeout;
    private final System.Logger log;

    UpstreamCall(UpstreamClient client, String upstream, Duration connectTimeout, System.Logger log) {
        this.client = client;
        this.upstream = upstream;
        this.connectTimeout = connectTimeout;
        this.log = log;
    }

    /** {@return the upstream's name in messages: {@code Anthropic}, or {@code the upstream at URL}} */
    String upstream() {
        return upstream;
    }

    /**
     * Makes the call and hands a successful answer's body to the reader.
     *
     * @param requestId the gateway's request id, for the log
     * @param path      the upstream path
     * @param json      the request body
     * @param deadline  when the client's request times out
     * @param reader    reads the answer and emits deltas
     * @throws GatewayException            the client's error
     * @throws ClientDisconnectedException when the client went away (the upstream call is aborted)
     */
    void run(String requestId, String path, String json, Instant deadline, AnswerReader reader) {
        boolean answered = false;
        try (UpstreamClient.UpstreamResponse response = client.post(path, json, deadline)) {
            answered = true;
            if (response.status() != 200) {
                throw errorAnswer(response);
            }
            reader.read(response.body());
        } catch (UpstreamBody.DeadlinePassed e) {
            throw ConnectionFailures.timedOut(upstream, answered ? reader : null);
        } catch (UpstreamClient.NotAnswered e) {
            throw logged(requestId, path, ConnectionFailures.notAnswered(upstream, e, connectTimeout), e.getCause());
        } catch (IOException e) {
            GatewayException error = answered ? ConnectionFailures.broken(upstream, e, reader)
                    : GatewayException.badGateway("The call to " + upstream + " failed before it answered")
                            .withFailureKind(FailureKind.CONNECT);
            throw logged(requestId, path, error, e);
        }
    }

    private GatewayException errorAnswer(UpstreamClient.UpstreamResponse response) {
        Optional<Duration> retryAfter = UpstreamErrors.retryAfter(response::header);
        String errorBody;
        try {
            errorBody = response.body().readText(MAX_ERROR_BODY);
        } catch (IOException unreadable) {
            errorBody = ""; // the status says enough
        }
        return UpstreamErrors.fromStatus(upstream, response.status(), errorBody, retryAfter);
    }

    private GatewayException logged(String requestId, String path, GatewayException error, Throwable cause) {
        log.log(WARNING, () -> "request " + requestId + ": " + error.getMessage() + " (" + client.base() + path + ": "
                + ConnectionFailures.trace(cause) + ")");
        return error;
    }

    /** Reads a successful answer, emitting its deltas. */
    interface AnswerReader {
        /**
         * Reads the answer.
         *
         * @param body the response body
         * @throws IOException      when the connection fails
         * @throws GatewayException when the upstream reports an error in the answer, its stream ends early or
         *                          its answer cannot be parsed
         */
        void read(UpstreamBody body) throws IOException;

        /** Whether the answer is a stream of events (else one JSON body). */
        boolean streamed();

        /** How many events of the stream were read so far. */
        int events();
    }
}
