package io.llmgateway.backend.api;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.GatewayException;

/**
 * One upstream call with the gateway's failure handling: a failure the client has not seen anything
 * of yet (429, 529, 5xx, a connection error, a stream that broke before its first delta) is retried
 * with exponential backoff and jitter, honouring {@code retry-after}, up to {@code maxRetries}
 * times and never past the request's deadline; anything else becomes the client's error at once.
 */
final class UpstreamCall {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final UpstreamClient client;
    private final String upstream;
    private final int maxRetries;
    private final Clock clock;

    UpstreamCall(UpstreamClient client, String upstream, int maxRetries, Clock clock) {
        this.client = client;
        this.upstream = upstream;
        this.maxRetries = maxRetries;
        this.clock = clock;
    }

    /**
     * Makes the call and hands a successful answer's body to the reader.
     *
     * @param path     the upstream path
     * @param json     the request body
     * @param deadline when the client's request times out
     * @param reader   reads the answer and emits deltas
     * @throws GatewayException            the client's error
     * @throws ClientDisconnectedException when the client went away (the upstream call is aborted)
     */
    void run(String path, String json, Instant deadline, AnswerReader reader) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Failure failure = attempt(path, json, deadline, reader);
            if (failure == null) {
                return;
            }
            Optional<Duration> delay = failure.retryable() && attempt < maxRetries
                    ? delay(attempt, failure.retryAfter(), deadline)
                    : Optional.empty();
            if (delay.isEmpty()) {
                throw failure.error();
            }
            Thread.sleep(delay.get());
        }
    }

    private Failure attempt(String path, String json, Instant deadline, AnswerReader reader) {
        try (UpstreamClient.UpstreamResponse response = client.post(path, json, deadline)) {
            int status = response.status();
            if (status != 200) {
                Optional<Duration> retryAfter = UpstreamErrors.retryAfter(response::header);
                String errorBody = response.body().readText(MAX_ERROR_BODY);
                return new Failure(UpstreamErrors.fromStatus(upstream, status, errorBody, retryAfter),
                                   UpstreamErrors.isRetryable(status), retryAfter);
            }
            reader.read(response.body());
            return null;
        } catch (UpstreamBody.DeadlinePassed e) {
            throw GatewayException.timeout(upstream + " did not answer within LLM_REQUEST_TIMEOUT");
        } catch (UpstreamEventError e) {
            return new Failure(e.error(), e.retryable() && !reader.emitted(), Optional.empty());
        } catch (IOException e) {
            String what = reader.emitted() ? "the connection to " + upstream + " broke mid-answer"
                    : "cannot reach " + upstream;
            return new Failure(GatewayException.badGateway(what + " (" + e.getMessage() + ")"), !reader.emitted(),
                               Optional.empty());
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
         * @throws IOException           when the connection fails
         * @throws UpstreamEventError    when the upstream reports an error in the answer
         */
        void read(UpstreamBody body) throws IOException;

        /** Whether any delta reached the client yet (then the call cannot be retried). */
        boolean emitted();
    }

    /** The upstream reported an error inside a 200 answer (an {@code error} event of a stream). */
    static final class UpstreamEventError extends IOException {
        private final transient GatewayException error;
        private final boolean retryable;

        UpstreamEventError(GatewayException error, boolean retryable) {
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

    private record Failure(GatewayException error, boolean retryable, Optional<Duration> retryAfter) {
    }
}
