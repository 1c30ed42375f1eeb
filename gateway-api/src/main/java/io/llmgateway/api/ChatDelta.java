package io.llmgateway.api;

import java.util.Optional;

import jakarta.json.JsonObject;

import static java.util.Objects.requireNonNull;

/**
 * A piece of an answer, emitted by a backend as soon as it has it. A call's deltas are: any number of
 * {@link Text} and {@link ToolCallFragment}, then one {@link Finish}, then one {@link Usage}. A backend
 * relaying an OpenAI-compatible upstream emits {@link Passthrough} objects instead of text and tool calls
 * (still followed by {@link Finish} and {@link Usage}, for middleware).
 */
public sealed interface ChatDelta {

    /**
     * More answer text.
     *
     * @param text the new text
     */
    record Text(String text) implements ChatDelta {
        /**
         * Validates.
         */
        public Text {
            requireNonNull(text, "text is null");
        }
    }

    /**
     * A piece of a tool call: the first fragment of a call carries its id and name, later ones more of its
     * JSON arguments.
     *
     * @param index     which call of this answer (0, 1, ...)
     * @param id        the call's id, on its first fragment
     * @param name      the function name, on its first fragment
     * @param arguments more of the arguments' JSON text, possibly empty
     */
    record ToolCallFragment(int index, Optional<String> id, Optional<String> name, String arguments)
            implements ChatDelta {
        /**
         * Validates.
         */
        public ToolCallFragment {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(arguments, "arguments is null");
            if (index < 0) {
                throw new IllegalArgumentException("index must not be negative: " + index);
            }
        }
    }

    /**
     * The answer is complete.
     *
     * @param reason why it ended
     */
    record Finish(FinishReason reason) implements ChatDelta {
        /**
         * Validates.
         */
        public Finish {
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * An object in OpenAI's own wire format from an OpenAI-compatible upstream, which the host sends to
     * the client as it is, so that whatever the upstream supports (logprobs, refusals, ...) reaches the
     * client: each {@code chat.completion.chunk} of a stream, or the whole {@code chat.completion}
     * otherwise. The host then renders no chunks of its own but the final {@code [DONE]}; the
     * {@link Finish} and {@link Usage} deltas that follow are for middleware.
     *
     * @param object the chunk or completion, with the model name the client asked for
     */
    record Passthrough(JsonObject object) implements ChatDelta {
        /**
         * Validates.
         */
        public Passthrough {
            requireNonNull(object, "object is null");
        }
    }

    /**
     * Tokens used by the call, as counted by the backend (after the answer is complete).
     *
     * @param usage the token counts
     */
    record Usage(TokenUsage usage) implements ChatDelta {
        /**
         * Validates.
         */
        public Usage {
            requireNonNull(usage, "usage is null");
        }
    }
}
