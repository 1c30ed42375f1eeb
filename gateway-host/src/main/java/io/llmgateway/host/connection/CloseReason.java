package io.llmgateway.host.connection;

import java.util.Locale;

/**
 * Why the gateway closed a client's connection itself (the {@code reason} label of
 * {@code llm_connections_closed_total}).
 */
public enum CloseReason {
    /** A kept-alive connection waited longer than the idle timeout for its next request. */
    IDLE,
    /** A request's line and headers (or a new connection's first byte) took longer than the header timeout. */
    HEADER_TIMEOUT,
    /** A request body took longer than the body timeout to arrive. */
    BODY_TIMEOUT,
    /** A write to a client that does not read blocked past the send timeout or the request's deadline. */
    SEND_TIMEOUT,
    /** The gateway is shutting down. */
    SHUTDOWN;

    /**
     * The metric label.
     *
     * @return the reason in lower case
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
