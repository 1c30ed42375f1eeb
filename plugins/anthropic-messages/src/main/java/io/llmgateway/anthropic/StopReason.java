package io.llmgateway.anthropic;

import java.util.Optional;

import io.llmgateway.api.FinishReason;

/**
 * Anthropic's {@code stop_reason} values and the OpenAI finish reason each one becomes. A reason this
 * release does not know (Anthropic adds some from time to time) ends the answer as {@code stop}.
 */
public enum StopReason {
    /** The model finished its turn. */
    END_TURN("end_turn", FinishReason.STOP),
    /** One of the request's {@code stop_sequences} was generated. */
    STOP_SEQUENCE("stop_sequence", FinishReason.STOP),
    /** The request's {@code max_tokens} was reached. */
    MAX_TOKENS("max_tokens", FinishReason.LENGTH),
    /** The model called tools. */
    TOOL_USE("tool_use", FinishReason.TOOL_CALLS),
    /** The model declined to answer (streaming classifiers). */
    REFUSAL("refusal", FinishReason.CONTENT_FILTER),
    /** A long-running server tool turn was paused; what was produced so far is the answer. */
    PAUSE_TURN("pause_turn", FinishReason.STOP),
    /** The model's context window filled up before the answer ended. */
    MODEL_CONTEXT_WINDOW_EXCEEDED("model_context_window_exceeded", FinishReason.LENGTH);

    private final String wireName;
    private final FinishReason finishReason;

    StopReason(String wireName, FinishReason finishReason) {
        this.wireName = wireName;
        this.finishReason = finishReason;
    }

    /** {@return the name on the wire, for example {@code end_turn}} */
    public String wireName() {
        return wireName;
    }

    /** {@return the OpenAI finish reason this stop reason becomes} */
    public FinishReason finishReason() {
        return finishReason;
    }

    /**
     * Looks a stop reason up by its wire name.
     *
     * @param wireName for example {@code max_tokens}
     * @return the stop reason, or empty for a name this release does not know
     */
    public static Optional<StopReason> fromWireName(String wireName) {
        for (StopReason reason : values()) {
            if (reason.wireName.equals(wireName)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    /**
     * The finish reason of an answer that ended with this stop reason.
     *
     * @param wireName the {@code stop_reason}, empty when the answer carried none
     * @return the finish reason; {@code stop} for none or an unknown one
     */
    public static FinishReason finishReasonOf(Optional<String> wireName) {
        return wireName.flatMap(StopReason::fromWireName).map(StopReason::finishReason).orElse(FinishReason.STOP);
    }
}
