package io.llmgateway.api;

import static java.util.Objects.requireNonNull;

/**
 * A function call made by the assistant.
 *
 * @param id        the call's id, echoed by the tool message that answers it
 * @param name      the function's name
 * @param arguments the arguments as a JSON text
 */
public record ToolCall(String id, String name, String arguments) {

    /**
     * Validates.
     */
    public ToolCall {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(arguments, "arguments is null");
    }
}
