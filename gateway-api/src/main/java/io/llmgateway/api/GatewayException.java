package io.llmgateway.api;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A failure the client should see, rendered by the host as an OpenAI error
 * {@code {"error":{"message","type","param","code"}}} with an HTTP status, or as an error event once a
 * stream has started. Messages must never contain secrets or stack traces.
 */
public class GatewayException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Duration retryAfter;
    private final FailureKind kind;

    /**
     * Creates an exception.
     *
     * @param status  HTTP status, 400 to 599
     * @param type    OpenAI error type, such as {@code invalid_request_error}
     * @param code    OpenAI error code, such as {@code model_not_found}, or empty
     * @param param   the request field at fault, or empty
     * @param message what went wrong, for the client
     */
    public GatewayException(int status, String type, Optional<String> code, Optional<String> param, String message) {
        this(status, type, code.orElse(null), param.orElse(null), message, null, null);
    }

    private GatewayException(int status, String type, String code, String param, String message,
                             Duration retryAfter, Throwable cause) {
        this(status, type, code, param, message, retryAfter, null, cause);
    }

    private GatewayException(int status, String type, String code, String param, String message,
                             Duration retryAfter, FailureKind kind, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an error status: " + status);
        }
        this.status = status;
        this.type = requireNonNull(type, "type is null");
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
        this.kind = kind;
    }

    /**
     * 400: the request is invalid.
     *
     * @param message what is wrong
     * @param param   the field at fault, such as {@code messages[0].role}
     * @return the exception
     */
    public static GatewayException invalidRequest(String message, String param) {
        return new GatewayException(400, "invalid_request_error", null, param, message, null, null);
    }

    /**
     * 400: the request is invalid as a whole.
     *
     * @param message what is wrong
     * @return the exception
     */
    public static GatewayException invalidRequest(String message) {
        return new GatewayException(400, "invalid_request_error", null, null, message, null, null);
    }

    /**
     * 404: no enabled backend serves the model.
     *
     * @param model the model asked for
     * @return the exception
     */
    public static GatewayException modelNotFound(String model) {
        return new GatewayException(404, "invalid_request_error", "model_not_found", "model",
                                    "The model '" + model + "' does not exist or is not served by this gateway;"
                                            + " GET /v1/models lists the models it serves", null, null);
    }

    /**
     * 401: the caller's credentials are missing or wrong.
     *
     * @param message what is wrong, never the key itself
     * @return the exception
     */
    public static GatewayException invalidApiKey(String message) {
        return new GatewayException(401, "invalid_request_error", "invalid_api_key", null, message, null, null);
    }

    /**
     * 429: a rate limit was reached.
     *
     * @param message    which limit and when it resets
     * @param limitType  {@code requests} or {@code tokens}, as OpenAI names the error type
     * @param retryAfter when to retry
     * @return the exception
     */
    public static GatewayException rateLimited(String message, String limitType, Duration retryAfter) {
        return new GatewayException(429, limitType, "rate_limit_exceeded", null, message, retryAfter, null);
    }

    /**
     * 503: the backend cannot serve now.
     *
     * @param message    why, and what the operator can do
     * @param retryAfter when to retry, if known
     * @return the exception
     */
    public static GatewayException unavailable(String message, Optional<Duration> retryAfter) {
        return new GatewayException(503, "server_error", "service_unavailable", null, message,
                                    retryAfter.orElse(null), null);
    }

    /**
     * 504: the call ran past its deadline.
     *
     * @param message what timed out
     * @return the exception
     */
    public static GatewayException timeout(String message) {
        return new GatewayException(504, "timeout_error", "timeout", null, message, null, null);
    }

    /**
     * 502: the upstream failed or answered something unusable.
     *
     * @param message what failed
     * @return the exception
     */
    public static GatewayException badGateway(String message) {
        return new GatewayException(502, "api_error", "bad_gateway", null, message, null, null);
    }

    /**
     * 500: a fault in the gateway itself.
     *
     * @param message what failed, without internals
     * @return the exception
     */
    public static GatewayException internal(String message) {
        return new GatewayException(500, "server_error", "internal_error", null, message, null, null);
    }

    /**
     * A copy that also asks the client to wait before retrying.
     *
     * @param delay the delay
     * @return the copy
     */
    public GatewayException withRetryAfter(Duration delay) {
        return new GatewayException(status, type, code, param, getMessage(), delay, kind, getCause());
    }

    /**
     * A copy that says what the failure means for the deployment, where the status alone does not (a 502 for
     * refused credentials is {@link FailureKind#DEPLOYMENT_BROKEN}, not a passing upstream fault).
     *
     * @param failureKind the kind
     * @return the copy
     */
    public GatewayException withFailureKind(FailureKind failureKind) {
        return new GatewayException(status, type, code, param, getMessage(), retryAfter,
                                    requireNonNull(failureKind, "failureKind is null"), getCause());
    }

    /**
     * What the failure says about the deployment, for the router: as set by {@link #withFailureKind}, else read
     * from the status and code (429 rate limited, 503 and 529 overloaded, 504 timeout, other 5xx server,
     * {@code context_length_exceeded} context window, other 4xx invalid request).
     *
     * @return the kind
     */
    public FailureKind failureKind() {
        if (kind != null) {
            return kind;
        }
        if ("context_length_exceeded".equals(code)) {
            return FailureKind.CONTEXT_WINDOW;
        }
        return switch (status) {
            case 429 -> FailureKind.RATE_LIMITED;
            case 503, 529 -> FailureKind.OVERLOADED;
            case 504 -> FailureKind.TIMEOUT;
            default -> status >= 500 ? FailureKind.SERVER : FailureKind.INVALID_REQUEST;
        };
    }

    /**
     * HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * OpenAI error type.
     *
     * @return the type
     */
    public String type() {
        return type;
    }

    /**
     * OpenAI error code.
     *
     * @return the code, if any
     */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /**
     * The request field at fault.
     *
     * @return the field, if any
     */
    public Optional<String> param() {
        return Optional.ofNullable(param);
    }

    /**
     * When the client may retry ({@code Retry-After}).
     *
     * @return the delay, if any
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
