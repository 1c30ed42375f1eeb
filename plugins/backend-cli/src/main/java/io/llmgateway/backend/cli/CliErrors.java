package io.llmgateway.backend.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.llmgateway.anthropic.AnthropicErrors;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * What the cli backend tells clients when something fails, in words: a failed CLI turn ({@code "is_error":
 * true}, with the upstream's {@code api_error_status} and the CLI's own name for the failure in the notice's
 * {@code error}) becomes the OpenAI error a client understands (the status mapping the api backend uses too,
 * {@link AnthropicErrors}, but for the CLI's own login and the context window), classified for the router where
 * the status alone would mislead; a session that cannot start is described without an exception's class name or
 * {@code toString()}, which reach the log only. The usage limit is {@link UsageLimit}'s.
 */
final class CliErrors {

    private static final int MAX_DETAIL = 300;
    /** The CLI's names for a login the upstream refuses, or none at all ({@code "Not logged in"}). */
    private static final Set<String> CREDENTIAL_ERRORS = Set.of("authentication_failed", "oauth_org_not_allowed",
                                                                "account_on_hold", "verification_required",
                                                                "cloud_credential_error");

    private CliErrors() {
    }

    /**
     * The client's error for an error result.
     *
     * @param result     the CLI's {@code result} line
     * @return the error
     */
    static GatewayException fromResult(JsonObject result) {
        return fromResult(result, JsonValue.EMPTY_JSON_OBJECT);
    }

    /**
     * The client's error for an error result and the notice the CLI wrote before it.
     *
     * @param result     the CLI's {@code result} line
     * @param notice     the synthetic API-error {@code assistant} line of the turn, or an empty object
     * @return the error
     */
    static GatewayException fromResult(JsonObject result, JsonObject notice) {
        String detail = detail(result);
        int status = status(result).or(() -> status(notice)).orElse(0);
        String failure = notice.getString("error", "");
        if (status == 401 || status == 403 || CREDENTIAL_ERRORS.contains(failure)) {
            String why = status == 0 ? "The gateway's claude CLI has no usable login (" + detail + ")"
                    : "Anthropic rejected the gateway's claude CLI credentials (" + status + ")";
            // the gateway's own login, not the client's key: a 502 as the api backend answers, and no use retrying
            return new GatewayException(502, "api_error", Optional.of("upstream_unauthorized"), Optional.empty(),
                                        why + "; the operator must log the CLI in or set ANTHROPIC_API_KEY or"
                                                + " CLAUDE_CODE_OAUTH_TOKEN")
                    .withFailureKind(FailureKind.DEPLOYMENT_BROKEN);
        }
        if ("prompt_too_long".equals(result.getString("terminal_reason", ""))
                || detail.toLowerCase(Locale.ROOT).contains("prompt is too long")) {
            return new GatewayException(400, "invalid_request_error", Optional.of("context_length_exceeded"),
                                        Optional.of("messages"),
                                        "The conversation does not fit the model's context window: " + detail)
                    .withFailureKind(FailureKind.CONTEXT_WINDOW);
        }
        GatewayException error = status == 0 ? GatewayException.badGateway("The claude CLI failed: " + detail)
                : AnthropicErrors.fromStatus("Anthropic", status, detail, Optional.empty()); // the CLI reports no retry-after
        // credits used up: no passing upstream fault, whatever the status says
        return failure.equals("billing_error") ? error.withFailureKind(FailureKind.QUOTA_EXHAUSTED) : error;
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

    private static Optional<Integer> status(JsonObject line) {
        return line.get("api_error_status") instanceof JsonNumber number ? Optional.of(number.intValue()) : Optional.empty();
    }

    private static String detail(JsonObject result) {
        String text = result.getString("result", "");
        if (text.isBlank()) {
            text = result.getString("subtype", "no detail");
        }
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
    }
}
