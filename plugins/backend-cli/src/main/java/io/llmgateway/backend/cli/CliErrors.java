package io.llmgateway.backend.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.llmgateway.anthropic.AnthropicErrors;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * What the cli backend tells clients when something fails, in words: a failed CLI turn ({@code "is_error":
 * true}, with the upstream's {@code api_error_status}) becomes the OpenAI error a client understands (the
 * status mapping the api backend uses too, {@link AnthropicErrors}, but for the CLI's own login), and a
 * session that cannot start is described without an exception's class name or {@code toString()}, which
 * reach the log only.
 */
final class CliErrors {

    private static final int MAX_DETAIL = 300;

    private CliErrors() {
    }

    /**
     * The client's error for an error result.
     *
     * @param result     the CLI's {@code result} line
     * @param retryAfter the delay to suggest for 429 and 503
     * @return the error
     */
    static GatewayException fromResult(JsonObject result, Duration retryAfter) {
        String detail = detail(result);
        int status = result.get("api_error_status") instanceof JsonNumber number ? number.intValue() : 0;
        return switch (status) {
            case 401, 403 -> new GatewayException(401, "authentication_error", Optional.of("upstream_unauthorized"),
                                                  Optional.empty(),
                                                  "Anthropic rejected the gateway's claude CLI credentials (" + status
                                                          + "); the operator must log the CLI in or set"
                                                          + " ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN");
            case 0 -> GatewayException.badGateway("The claude CLI failed: " + detail);
            default -> AnthropicErrors.fromStatus("Anthropic", status, detail, retryAfter);
        };
    }

    /**
     * The error for a turn the CLI ended without an answer and without an API error.
     *
     * @param result the CLI's {@code result} line
     * @return the error
     */
    static GatewayException unfinished(JsonObject result) {
        String why = switch (result.getString("subtype", "")) {
            case "error_max_turns" -> "it reached its limit of turns";
            case "error_during_execution" -> "it failed while running the turn";
            case "" -> "it gave no reason";
            default -> "it reported " + result.getString("subtype");
        };
        return GatewayException.badGateway("The claude CLI ended the turn without an answer: " + why);
    }

    /**
     * Why a session could not start, in words for the operator and the clients that get a 503 meanwhile.
     *
     * @param failure what starting it threw
     * @return the reason, without class names
     */
    static String whyNotStarted(Exception failure) {
        return switch (failure) {
            case UncheckedIOException unchecked -> whyNotStarted(unchecked.getCause());
            case AccessDeniedException denied -> "cannot prepare its files: " + denied.getFile() + ": permission denied";
            case NoSuchFileException missing -> "cannot prepare its files: " + missing.getFile() + ": no such file or directory";
            case FileAlreadyExistsException taken -> "cannot prepare its files: " + taken.getFile()
                    + ": something else of that name is in the way";
            case FileSystemException files -> "cannot prepare its files: " + files.getFile()
                    + (files.getReason() == null ? "" : ": " + files.getReason().toLowerCase(Locale.ROOT));
            case IOException io when io.getMessage() != null -> io.getMessage();
            case IOException io -> "an input or output error without detail";
            default -> "an unexpected error in the gateway (its log has the details)";
        };
    }

    private static String detail(JsonObject result) {
        String text = result.getString("result", "");
        if (text.isBlank()) {
            text = result.getString("subtype", "no detail");
        }
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
    }
}
