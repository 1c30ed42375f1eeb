package io.llmgateway.backend.cli;

import java.time.Duration;
import java.util.Optional;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * Maps a failed CLI turn ({@code "is_error": true}, with the upstream's {@code api_error_status}) to the
 * OpenAI error a client understands.
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
            case 429 -> GatewayException.rateLimited("Anthropic rate-limited the gateway's claude CLI: " + detail,
                                                     "requests", retryAfter);
            case 401, 403 -> new GatewayException(401, "authentication_error", Optional.of("upstream_unauthorized"),
                                                  Optional.empty(),
                                                  "Anthropic rejected the gateway's claude CLI credentials (" + status
                                                          + "); the operator must log the CLI in or set"
                                                          + " ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN");
            case 529, 503 -> GatewayException.unavailable("Anthropic is overloaded: " + detail, Optional.of(retryAfter));
            case 400, 413 -> GatewayException.invalidRequest("The model rejected the request: " + detail);
            default -> GatewayException.badGateway("The claude CLI failed: " + detail);
        };
    }

    /**
     * The error for a turn the CLI ended without an answer and without an API error.
     *
     * @param result the CLI's {@code result} line
     * @return the error
     */
    static GatewayException unfinished(JsonObject result) {
        return GatewayException.badGateway("The claude CLI ended the turn without an answer ("
                                                   + result.getString("subtype", "unknown") + ")");
    }

    private static String detail(JsonObject result) {
        String text = result.getString("result", "");
        if (text.isBlank()) {
            text = result.getString("subtype", "no detail");
        }
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
    }
}
