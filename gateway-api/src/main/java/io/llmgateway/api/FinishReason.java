package io.llmgateway.api;

import java.util.Optional;

/**
 * Why an answer ended, as OpenAI names it.
 */
public enum FinishReason {
    /** Natural end or a stop sequence. */
    STOP("stop"),
    /** The token limit was reached. */
    LENGTH("length"),
    /** The model called tools. */
    TOOL_CALLS("tool_calls"),
    /** Content was withheld by a filter. */
    CONTENT_FILTER("content_filter");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name on the wire.
     *
     * @return for example {@code length}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Looks a finish reason up by its wire name.
     *
     * @param wireName for example {@code tool_calls}
     * @return the finish reason, or empty for a name OpenAI does not define
     */
    public static Optional<FinishReason> fromWireName(String wireName) {
        for (FinishReason reason : values()) {
            if (reason.wireName.equals(wireName)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
