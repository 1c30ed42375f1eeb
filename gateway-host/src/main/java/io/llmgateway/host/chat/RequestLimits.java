package io.llmgateway.host.chat;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What one chat request may take.
 *
 * @param maxRequestBytes   the largest body accepted
 * @param bodyBytesInFlight the memory all bodies being read may hold together
 * @param requestTimeout    how long a call may take, writing its answer included
 */
public record RequestLimits(long maxRequestBytes, long bodyBytesInFlight, Duration requestTimeout) {

    /**
     * Validates.
     */
    public RequestLimits {
        requireNonNull(requestTimeout, "requestTimeout is null");
    }
}
