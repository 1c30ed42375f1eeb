package io.llmgateway.api;

import java.util.List;
import java.util.Optional;

/**
 * Serves chat completions for a set of models.
 *
 * <p>Every call runs on its own virtual thread, so implementations block freely. A call emits its answer
 * as deltas into the sink: text as it is produced, then a {@link ChatDelta.Finish} and a
 * {@link ChatDelta.Usage}. Failures are thrown as {@link GatewayException}; the host renders them as an
 * HTTP error or, once streaming has started, as an error event.
 *
 * <p>A call is one attempt: the host's router owns retries and fallbacks, so a backend never retries an
 * upstream itself (retries would multiply). It classifies its failures with
 * {@link GatewayException#failureKind()} and emits no delta before it knows the answer has begun (an upstream's
 * {@code message_start} or {@code ping} is not a delta), so a failure before the first one can still be retried
 * elsewhere.
 */
public interface Backend extends AutoCloseable {

    /**
     * Models this backend lists in {@code /v1/models}.
     *
     * @return the listed models
     */
    List<ModelInfo> models();

    /**
     * Whether this backend serves the model; may accept more than it lists (for example any
     * {@code claude-*} id). Behind the router only the configured public names reach a backend, so this
     * decides nothing there; it serves the backend's own tests and the legacy listing.
     *
     * @param model the model the client asked for
     * @return true if a request for the model can be sent here
     */
    default boolean serves(String model) {
        for (ModelInfo info : models()) {
            if (info.id().equals(model)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Serves one chat completion, blocking until it is complete.
     *
     * @param exchange the call: request, identity, deadline
     * @param sink     where the answer goes, delta by delta
     * @throws GatewayException when the call fails in a way the client should see
     * @throws ClientDisconnectedException (from the sink) when the client went away; stop work and return
     */
    void chat(ChatExchange exchange, ChatSink sink);

    /**
     * Current state, shown by {@code /health}; the default backend's state decides readiness.
     *
     * @return the health
     */
    default BackendHealth health() {
        return BackendHealth.up();
    }

    /**
     * How many more calls it can start at once, for backends with a fixed number of workers (the CLI pool);
     * the router then prefers the deployment with more room.
     *
     * @return the capacity, empty when unbounded or unknown
     */
    default Optional<Capacity> capacity() {
        return Optional.empty();
    }

    /**
     * Long-lived sessions this backend holds, shown by {@code /sessions}.
     *
     * @return sessions, empty for backends without any
     */
    default List<SessionInfo> sessions() {
        return List.of();
    }

    /**
     * Releases everything the backend holds (processes, connections). Called once at shutdown.
     */
    @Override
    default void close() {
    }
}
