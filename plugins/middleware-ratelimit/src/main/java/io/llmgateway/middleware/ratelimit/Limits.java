package io.llmgateway.middleware.ratelimit;

import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * A caller's limits per minute; an empty one is unlimited.
 *
 * @param requestsPerMinute requests a minute
 * @param tokensPerMinute   tokens (prompt plus completion) a minute
 */
public record Limits(OptionalLong requestsPerMinute, OptionalLong tokensPerMinute) {

    /**
     * Validates.
     */
    public Limits {
        requireNonNull(requestsPerMinute, "requestsPerMinute is null");
        requireNonNull(tokensPerMinute, "tokensPerMinute is null");
    }

    /**
     * These limits with another's values where it has them.
     *
     * @param override the other limits
     * @return the merged limits
     */
    Limits overriddenBy(Limits override) {
        return new Limits(override.requestsPerMinute.isPresent() ? override.requestsPerMinute : requestsPerMinute,
                          override.tokensPerMinute.isPresent() ? override.tokensPerMinute : tokensPerMinute);
    }
}
