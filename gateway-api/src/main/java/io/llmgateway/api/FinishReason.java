package io.llmgateway.api;

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
}
