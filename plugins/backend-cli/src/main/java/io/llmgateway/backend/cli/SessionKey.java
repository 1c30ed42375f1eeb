package io.llmgateway.backend.cli;

import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a CLI process is fixed to for its whole life: the model, the system prompt and the schema of its
 * answers (all command-line arguments). A request can only be served by a session with its key. The client's
 * functions are not part of it: a session lists new ones after a reset.
 *
 * @param model        the model as the gateway names it ({@code claude-sonnet}, {@code claude-haiku-4-5}, ...)
 * @param systemPrompt the system prompt
 * @param jsonSchema   the schema every answer must match ({@code --json-schema}), for {@code response_format}
 */
record SessionKey(String model, String systemPrompt, Optional<String> jsonSchema) {

    SessionKey {
        requireNonNull(model, "model is null");
        requireNonNull(systemPrompt, "systemPrompt is null");
        requireNonNull(jsonSchema, "jsonSchema is null");
    }

    /** A key for free-text answers. */
    SessionKey(String model, String systemPrompt) {
        this(model, systemPrompt, Optional.empty());
    }

    /**
     * The value for {@code --model}: the gateway's family aliases become the CLI's own aliases (which
     * always name the current model of the family); other {@code claude-*} ids pass through.
     */
    String cliModel() {
        return switch (model.toLowerCase(Locale.ROOT)) {
            case "claude-sonnet" -> "sonnet";
            case "claude-opus" -> "opus";
            case "claude-haiku" -> "haiku";
            default -> model;
        };
    }

    /** A short description for logs; never the prompt itself. */
    String describe() {
        return model + " (system prompt of " + systemPrompt.length() + " chars"
                + jsonSchema.map(schema -> ", answer schema of " + schema.length() + " chars").orElse("") + ")";
    }
}
