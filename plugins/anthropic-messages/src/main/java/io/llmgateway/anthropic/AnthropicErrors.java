package io.llmgateway.anthropic;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Anthropic's failures as the errors the gateway's client should see. Anthropic's error types each have
 * one HTTP status (its errors page: invalid_request_error 400, authentication_error 401, billing_error
 * 402, permission_error 403, not_found_error 404, request_too_large 413, rate_limit_error 429, api_error
 * 500, timeout_error 504, overloaded_error 529); the status decides the client's error. OpenAI-compatible
 * upstreams use the same statuses, so the api backend maps their failures here too. {@link #fromError} and
 * {@link #kindOf} also say what a failure means for the deployment ({@link FailureKind}), for the host's router.
 */
public final class AnthropicErrors {

    /** What a stream's error event suggests as a retry delay; it carries no {@code retry-after}. */
    private static final int MAX_DETAIL = 500;
    /** How Anthropic, vLLM and sglang word a request too long for the model (OpenAI has a code for it). */
    private static final List<String> CONTEXT_WINDOW_WORDS = List.of(
            "prompt is too long", "exceed context limit", "maximum context length",
            "is longer than the model's context length");
    /** How Anthropic words a 400 for an account without credit. */
    private static final List<String> NO_CREDIT_WORDS = List.of("credit balance is too low");

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
     * @param retryAfter the upstream's {@code retry-after} for 429 and overload, if it sent one (none is invented:
     *                   the router and the client's SDK then use their own backoff)
     * @return the error
     */
    public static GatewayException fromStatus(String upstream, int status, String detail,
                                              Optional<Duration> retryAfter) {
        return switch (status) {
            case 400, 404, 413, 422 -> new GatewayException(status == 404 ? 404 : 400, "invalid_request_error",
                                                            Optional.of(status == 404 ? "upstream_not_found"
                                                                                : "upstream_rejected"),
                                                            Optional.empty(), upstream + " rejected the request: " + detail);
            case 401, 403 -> GatewayException.badGateway(upstream + " rejected the gateway's own credentials (" + status
                                                                 + "); the operator must check the configured API key");
            case 429 -> retryAfter.isPresent()
                    ? GatewayException.rateLimited(upstream + " rate-limited the gateway: " + detail, "requests",
                                                   retryAfter.get())
                    : new GatewayException(429, "requests", Optional.of("rate_limit_exceeded"), Optional.empty(),
                                           upstream + " rate-limited the gateway: " + detail);
            case 503, 529 -> GatewayException.unavailable(upstream + " is overloaded: " + detail, retryAfter);
            default -> GatewayException.badGateway(upstream + " failed with status " + status + ": " + detail);
        };
    }

    /**
     * What a failure of an Anthropic error type means for the deployment that failed it.
     *
     * @param errorType an {@code error.type}, such as {@code overloaded_error}
     * @return the kind; {@link FailureKind#SERVER} for a type this release does not know
     */
    public static FailureKind kindOf(String errorType) {
        return switch (errorType) {
            case "invalid_request_error", "request_too_large" -> FailureKind.INVALID_REQUEST;
            case "authentication_error", "permission_error", "not_found_error" -> FailureKind.DEPLOYMENT_BROKEN;
            case "billing_error" -> FailureKind.QUOTA_EXHAUSTED;
            case "rate_limit_error" -> FailureKind.RATE_LIMITED;
            case "overloaded_error" -> FailureKind.OVERLOADED;
            case "timeout_error" -> FailureKind.TIMEOUT;
            default -> FailureKind.SERVER; // api_error and types added later
        };
    }

    /**
     * The client's error for an upstream's error status, with what it means for the deployment
     * ({@link GatewayException#failureKind()}) where the status alone would mislead: 401 and 403 are the
     * gateway's own credentials (a 502 telling the operator to check them) and 404 a model the upstream does not
     * know, both {@link FailureKind#DEPLOYMENT_BROKEN}; a request too long for the model (Anthropic's "prompt is
     * too long", vLLM's "maximum context length", sglang's "longer than the model's context length") a 400
     * {@code context_length_exceeded}; 402 and Anthropic's "credit balance is too low" an account out of credit
     * ({@link #quotaExhausted}); 429 and 529 keep {@code retryAfter}.
     *
     * @param upstream   the upstream in sentences: {@code Anthropic}, {@code the upstream at URL}
     * @param status     the upstream's HTTP status
     * @param detail     the upstream's error message, already shortened
     * @param retryAfter the upstream's {@code retry-after} for 429 and overload, if it sent one (none is invented:
     *                   the router and the client's SDK then use their own backoff)
     * @return the error
     */
    public static GatewayException fromError(String upstream, int status, String detail,
                                             Optional<Duration> retryAfter) {
        if (status == 402 || (status == 400 && mentions(detail, NO_CREDIT_WORDS))) {
            return quotaExhausted(upstream, detail);
        }
        if (status >= 400 && status < 500 && mentions(detail, CONTEXT_WINDOW_WORDS)) {
            return contextWindowExceeded(upstream, detail);
        }
        GatewayException error = fromStatus(upstream, status, detail, retryAfter);
        return switch (status) {
            case 401, 403, 404 -> error.withFailureKind(FailureKind.DEPLOYMENT_BROKEN);
            case 408, 504 -> error.withFailureKind(FailureKind.TIMEOUT);
            case 429 -> error.withFailureKind(FailureKind.RATE_LIMITED);
            case 503, 529 -> error.withFailureKind(FailureKind.OVERLOADED);
            default -> error.withFailureKind(status >= 500 ? FailureKind.SERVER : FailureKind.INVALID_REQUEST);
        };
    }

    /**
     * A 400 {@code context_length_exceeded} ({@link FailureKind#CONTEXT_WINDOW}): the request does not fit the
     * model, so only a model with a larger context window may serve it.
     *
     * @param upstream the upstream in sentences
     * @param detail   the upstream's error message, already shortened
     * @return the error
     */
    public static GatewayException contextWindowExceeded(String upstream, String detail) {
        return new GatewayException(400, "invalid_request_error", Optional.of("context_length_exceeded"),
                                    Optional.of("messages"), upstream + " rejected the request: " + detail)
                .withFailureKind(FailureKind.CONTEXT_WINDOW);
    }

    /**
     * A 429 {@code insufficient_quota}, OpenAI's error for an account whose quota is used up, without a
     * {@code retry-after} ({@link FailureKind#QUOTA_EXHAUSTED}): the gateway's account, not the client's request.
     *
     * @param upstream the upstream in sentences
     * @param detail   the upstream's error message, already shortened
     * @return the error
     */
    public static GatewayException quotaExhausted(String upstream, String detail) {
        return new GatewayException(429, "insufficient_quota", Optional.of("insufficient_quota"), Optional.empty(),
                                    "The gateway's account with " + upstream + " is out of quota: " + detail
                                            + "; the operator must add credit or raise the quota")
                .withFailureKind(FailureKind.QUOTA_EXHAUSTED);
    }

    /**
     * Whether an upstream's error message says the request does not fit the model's context window, in the
     * words of Anthropic, vLLM or sglang.
     *
     * @param detail the upstream's error message
     * @return true for a context window error
     */
    public static boolean saysContextWindow(String detail) {
        return mentions(detail, CONTEXT_WINDOW_WORDS);
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
     * @return the failure, classified by its type ({@link #fromError}); retryable when
     *         {@linkplain #isTransient transient}
     */
    static AnthropicStream.Step.Failed fromErrorEvent(JsonObject event) {
        JsonObject error = event.get("error") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        String type = error.getString("type", "api_error");
        String message = error.getString("message", "").strip();
        String detail = message.isEmpty() ? "no detail"
                : message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message;
        GatewayException failure = fromError("Anthropic", statusOf(type), detail, Optional.empty());
        return new AnthropicStream.Step.Failed(failure, isTransient(type));
    }

    private static boolean mentions(String detail, List<String> words) {
        String text = detail.toLowerCase(Locale.ROOT);
        return words.stream().anyMatch(text::contains);
    }
}
