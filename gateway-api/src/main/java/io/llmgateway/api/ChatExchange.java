package io.llmgateway.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One chat call as it passes through the middleware to a backend. Created by the host per request and
 * used by one thread at a time.
 */
public interface ChatExchange {

    /**
     * The request id, also sent back as {@code x-request-id}.
     *
     * @return the id
     */
    String requestId();

    /**
     * The validated request.
     *
     * @return the request
     */
    ChatRequest request();

    /**
     * The type of the backend that serves this call ({@code mock}, {@code cli}, ...): for middleware, which runs
     * before the router picks a deployment, the type of the model's first deployment; for a backend, its own.
     *
     * @return the backend type
     */
    String backend();

    /**
     * A request header, by case-insensitive name; the first value if repeated.
     *
     * @param name the header name
     * @return the value if present
     */
    Optional<String> header(String name);

    /**
     * The client's IP address as seen by the gateway.
     *
     * @return the address, for example {@code 127.0.0.1}
     */
    String clientAddress();

    /**
     * Who is calling, once an auth middleware has established it.
     *
     * @return the tenant, or empty without auth
     */
    Optional<String> tenant();

    /**
     * Sets who is calling; the tenant goes to logs, metrics and later middleware.
     *
     * @param tenant the tenant name
     */
    void tenant(String tenant);

    /**
     * When the request was received.
     *
     * @return the arrival time
     */
    Instant received();

    /**
     * When the call must be over ({@code LLM_REQUEST_TIMEOUT} after arrival); a backend that passes it
     * stops and throws {@link GatewayException#timeout(String)}.
     *
     * @return the deadline
     */
    Instant deadline();

    /**
     * Whether the client has gone away: closed its connection while the call waits (in a queue for a
     * session, in a retry's backoff). A backend checks it before it starts costly work and stops by throwing
     * {@link ClientDisconnectedException}; once deltas flow, the sink reports a gone client itself. Cheap
     * enough to call every few milliseconds.
     *
     * @return true when the client is known to be gone
     */
    default boolean clientGone() {
        return false;
    }

    /**
     * Adds a response header. Only effective before the first delta is emitted; later calls are ignored.
     *
     * @param name  the header name
     * @param value the value
     */
    void responseHeader(String name, String value);

    /**
     * Adds a field to the request's log line, such as {@code cache=hit} or {@code session=s-3}.
     *
     * @param key   the field name
     * @param value the value
     */
    void annotate(String key, String value);

    /**
     * Adds a duration to the request's log line, written as milliseconds (a number), such as the
     * backend's own share of the latency.
     *
     * @param key     the field name
     * @param elapsed the duration
     */
    default void annotateMillis(String key, Duration elapsed) {
        annotate(key, String.format(Locale.ROOT, "%.3f", elapsed.toNanos() / 1e6));
    }
}
