package io.llmgateway.backend.api;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.GatewayException;

import static java.lang.System.Logger.Level.WARNING;

/**
 * One upstream call with the gateway's failure handling: a failure the client has not seen anything
 * of yet (429, 529, 5xx, a connection error, a stream that broke before its first delta) is retried
 * with exponential backoff and jitter, honouring {@code retry-after}, up to {@code maxRetries}
 * times and never past the request's deadline; anything else becomes the client's error at once. A
 * failure below HTTP reaches the client in words ({@link ConnectionFailures}) and the log as one line
 * with the exception.
 */
final class UpstreamCall {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final UpstreamClient client;
    private final String upstream;
    private final int maxRetries;
    private final Duration connectTimeout;
    private final Clock clock;
    private final System.Logger log;

    UpstreamCall(UpstreamClient client, String upstream, int maxRetries, Duration connectTimeout, Clock clock,
                 System.Logger log) {
        this.client = client;
        this.upstream = upstream;
        this.maxRetries = maxRetries;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
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
    void run(String requestId, String path, String json, Instant deadline, AnswerReader reader)
            throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Failure failure = attempt(path, json, deadline, reader);
            if (failure == null) {
                return;
            }
            Optional<Duration> delay = failure.retryable() && attempt < maxRetries
                    ? delay(attempt, failure.retryAfter(), deadline)
                    : Optional.empty();
            if (failure.cause() != null) {
                int number = attempt + 1;
                log.log(WARNING, () -> "request " + requestId + ", attempt " + number + " of " + (maxRetries + 1) + ": "
                        + failure.error().getMessage() + delay.map(wait -> "; retrying in " + wait.toMillis() + " ms")
                                .orElse("") + " (" + client.base() + path + ": "
                        + ConnectionFailures.trace(failure.cause()) + ")");
            }
            if (delay.isEmpty()) {
                throw failure.error();
            }
            Thread.sleep(delay.get());
        }
    }

    private Failure attempt(String path, String json, Instant deadline, AnswerReader reader) {
        boolean answered = false;
        try (UpstreamClient.UpstreamResponse response = client.post(path, json, deadline)) {
            answered = true;
            int status = response.status();
            if (status != 200) {
                Optional<Duration> retryAfter = UpstreamErrors.retryAfter(response::header);
                String errorBody;
                try {
                    errorBody = response.body().readText(MAX_ERROR_BODY);
                } catch (IOException unreadable) {
                    errorBody = ""; // the status says enough
                }
                return new Failure(UpstreamErrors.fromStatus(upstream, status, errorBody, retryAfter),
                                   UpstreamErrors.isRetryable(status), retryAfter, null);
            }
            reader.read(response.body());
            return null;
        } catch (UpstreamBody.DeadlinePassed e) {
            throw ConnectionFailures.timedOut(upstream, answered ? reader : null);
        } catch (BrokenAnswer e) {
            return new Failure(e.error(), e.retryable() && !reader.emitted(), Optional.empty(), null);
        } catch (UpstreamClient.NotAnswered e) {
            return new Failure(ConnectionFailures.notAnswered(upstream, e, connectTimeout), true, Optional.empty(),
                               e.getCause());
        } catch (IOException e) {
            GatewayException error = answered ? ConnectionFailures.broken(upstream, e, reader)
                    : GatewayException.badGateway("The call to " + upstream + " failed before it answered");
            return new Failure(error, !reader.emitted(), Optional.empty(), e);
        }
    }

    private Optional<Duration> delay(int attempt, Optional<Duration> retryAfter, Instant deadline) {
        Duration delay = retryAfter.orElseGet(() -> {
            long ceiling = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << attempt);
            return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        });
        // a retry that cannot finish before the deadline only delays the client's error
        return clock.instant().plus(delay).plusMillis(100).isBefore(deadline) ? Optional.of(delay) : Optional.empty();
    }

    /** Reads a successful answer, emitting its deltas. */
    interface AnswerReader {
        /**
         * Reads the answer.
         *
         * @param body the response body
         * @throws IOException  when the connection fails
         * @throws BrokenAnswer when the upstream reports an error in the answer, or its stream ends early
         */
        void read(UpstreamBody body) throws IOException;

        /** Whether any delta reached the client yet (then the call cannot be retried). */
        boolean emitted();

        /** Whether the answer is a stream of events (else one JSON body). */
        boolean streamed();

        /** How many events of the stream were read so far. */
        int events();
    }

    /**
     * A 200 answer that cannot be used: an {@code error} event in its stream, or a stream that ended
     * before its end.
     */
    static final class BrokenAnswer extends IOException {
        private final transient GatewayException error;
        private final boolean retryable;

        BrokenAnswer(GatewayException error, boolean retryable) {
            super(error.getMessage());
            this.error = error;
            this.retryable = retryable;
        }

        GatewayException error() {
            return error;
        }

        boolean retryable() {
            return retryable;
        }
    }

    /** A failed attempt; {@code cause} is the exception below HTTP, if that is how it failed, for the log. */
    private record Failure(GatewayException error, boolean retryable, Optional<Duration> retryAfter, Throwable cause) {
    }
}
