package io.llmgateway.anthropic;

import java.time.Duration;
import java.util.Optional;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Anthropic's failures as the errors the gateway's client should see. Anthropic's error types each have
 * one HTTP status (its errors page: invalid_request_error 400, authentication_error 401, billing_error
 * 402, permission_error 403, not_found_error 404, request_too_large 413, rate_limit_error 429, api_error
 * 500, timeout_error 504, overloaded_error 529); the status decides the client's error. OpenAI-compatible
 * upstreams use the same statuses, so the api backend maps their failures here too.
 */
public final class AnthropicErrors {

    /** What a stream's error event suggests as a retry delay; it carries no {@code retry-after}. */
    static final Duration EVENT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final int MAX_DETAIL = 500;

    private AnthropicErrors() {
    }

    /**
     * The HTTP status of an Anthropic error type.
     *
     * @param errorType an {@code error.type}, such as {@code overloaded_error}
     * @return the status; 500 for a type this release does not know
     */
    public static int statusOf(String errorType) {
        return switch (errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500; // api_error and types added later
        };
    }

    /**
     * The client's error for an upstream's error status. 401 and 403 are the gateway's own credentials,
     * not the client's: a 502 telling the operator to check them.
     *
     * @param upstream   the upstream in sentences: {@code Anthropic}, {@code the upstream at URL}
     * @param status     the upstream's HTTP status
     * @param detail     the upstream's error message, already shortened
     * @param retryAfter the delay to suggest for 429 and overload
     * @return the error
     */
    public static GatewayException fromStatus(String upstream, int status, String detail, Duration retryAfter) {
        return switch (status) {
            case 400, 404, 413, 422 -> new GatewayException(status == 404 ? 404 : 400, "invalid_request_error",
                                                            Optional.of(status == 404 ? "upstream_not_found"
                                                                                : "upstream_rejected"),
                                                            Optional.empty(), upstream + " rejected the request: " + detail);
            case 401, 403 -> GatewayException.badGateway(upstream + " rejected the gateway's own credentials (" + status
                                                                 + "); the operator must check the configured API key");
            case 429 -> GatewayException.rateLimited(upstream + " rate-limited the gateway: " + detail, "requests",
                                                     retryAfter);
            case 503, 529 -> GatewayException.unavailable(upstream + " is overloaded: " + detail,
                                                          Optional.of(retryAfter));
            default -> GatewayException.badGateway(upstream + " failed with status " + status + ": " + detail);
        };
    }

    /**
     * Whether a failure of this type may pass if the same request is tried again.
     *
     * @param errorType an {@code error.type}
     * @return true for overload and Anthropic's internal errors
     */
    public static boolean isTransient(String errorType) {
        return errorType.equals("overloaded_error") || errorType.equals("api_error");
    }

    /**
     * The step of an {@code error} event in the middle of a stream
     * ({@code {"type":"error","error":{"type":...,"message":...}}}).
     *
     * @param event the event
     * @return the failure, retryable when {@linkplain #isTransient transient}
     */
    static AnthropicStream.Step.Failed fromErrorEvent(JsonObject event) {
        JsonObject error = event.get("error") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        String type = error.getString("type", "api_error");
        String message = error.getString("message", "").strip();
        String detail = message.isEmpty() ? "no detail"
                : message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message;
        GatewayException failure = fromStatus("Anthropic", statusOf(type), detail, EVENT_RETRY_AFTER);
        return new AnthropicStream.Step.Failed(failure, isTransient(type));
    }
}
