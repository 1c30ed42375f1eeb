package io.llmgateway.backend.cli;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What a CLI process is fixed to for its whole life: the model and the system prompt (both are
 * command-line arguments). A request can only be served by a session with its key.
 *
 * @param model        the model as the gateway names it ({@code claude-sonnet}, {@code claude-haiku-4-5}, ...)
 * @param systemPrompt the system prompt
 */
record SessionKey(String model, String systemPrompt) {

    SessionKey {
        requireNonNull(model, "model is null");
        requireNonNull(systemPrompt, "systemPrompt is null");
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
        return model + " (system prompt of " + systemPrompt.length() + " chars)";
    }
}
