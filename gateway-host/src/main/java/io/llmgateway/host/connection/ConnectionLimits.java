package io.llmgateway.host.connection;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How many connections the gateway holds and how long a client may take over each part of an exchange.
 *
 * @param maxConnections open connections at most; beyond it new ones wait in the kernel's backlog
 * @param idleTimeout    how long a kept-alive connection may wait for its next request
 * @param headerTimeout  how long a request may take from its first byte to the end of its headers (also how
 *                       long a new connection may stay silent)
 * @param bodyTimeout    how long a request body may take to arrive, from the end of the headers
 * @param sendTimeout    how long one write to a client that does not read may block
 */
public record ConnectionLimits(int maxConnections,
                               Duration idleTimeout,
                               Duration headerTimeout,
                               Duration bodyTimeout,
                               Duration sendTimeout) {

    /**
     * Validates.
     */
    public ConnectionLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(headerTimeout, "headerTimeout is null");
        requireNonNull(bodyTimeout, "bodyTimeout is null");
        requireNonNull(sendTimeout, "sendTimeout is null");
    }
}
