package io.llmgateway.backend.api;

import java.io.StringReader;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

/**
 * Maps an upstream's failure to the error the gateway's client should see. The gateway's own key is
 * never part of a message.
 */
final class UpstreamErrors {

    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final int MAX_DETAIL = 500;

    private UpstreamErrors() {
    }

    /**
     * The client's error for an upstream's error answer.
     *
     * @param upstream   {@code Anthropic} or the OpenAI-compatible upstream's name, for messages
     * @param status     the upstream's HTTP status
     * @param body       the upstream's error body
     * @param retryAfter the upstream's {@code retry-after}, if it sent one
     * @return the error
     */
    static GatewayException fromStatus(String upstream, int status, String body, Optional<Duration> retryAfter) {
        String detail = detail(body);
        return switch (status) {
            case 400, 404, 413, 422 -> new GatewayException(status == 404 ? 404 : 400, "invalid_request_error",
                                                            Optional.of(status == 404 ? "upstream_not_found"
                                                                                : "upstream_rejected"),
                                                            Optional.empty(), upstream + " rejected the request: " + detail);
            case 401, 403 -> GatewayException.badGateway(upstream + " rejected the gateway's own credentials (" + status
                                                                 + "); the operator must check the configured API key");
            case 429 -> GatewayException.rateLimited(upstream + " rate-limited the gateway: " + detail, "requests",
                                                     retryAfter.orElse(DEFAULT_RETRY_AFTER));
            case 503, 529 -> GatewayException.unavailable(upstream + " is overloaded: " + detail,
                                                          Optional.of(retryAfter.orElse(DEFAULT_RETRY_AFTER)));
            default -> GatewayException.badGateway(upstream + " failed with status " + status + ": " + detail);
        };
    }

    /**
     * The client's error for an Anthropic {@code error} event in the middle of a stream.
     *
     * @param errorType the event's {@code error.type}
     * @param message   the event's {@code error.message}
     * @return the error
     */
    static GatewayException fromAnthropicEvent(String errorType, String message) {
        int status = switch (errorType) {
            case "overloaded_error" -> 529;
            case "rate_limit_error" -> 429;
            case "invalid_request_error" -> 400;
            case "authentication_error", "permission_error" -> 401;
            default -> 500;
        };
        return fromStatus("Anthropic", status, "{\"error\":{\"message\":" + JSON.createValue(message) + "}}",
                          Optional.empty());
    }

    /** Whether a failed call may be tried again. */
    static boolean isRetryable(int status) {
        return status == 429 || status == 529 || status >= 500;
    }

    /**
     * The upstream's {@code retry-after} ({@code retry-after-ms} first): seconds or an HTTP date.
     *
     * @param headers a response header's first value by name
     * @return the delay, if given
     */
    static Optional<Duration> retryAfter(Function<String, Optional<String>> headers) {
        Optional<Duration> millis = headers.apply("retry-after-ms").flatMap(value -> parse(value, true));
        return millis.isPresent() ? millis : headers.apply("retry-after").flatMap(value -> parse(value, false));
    }

    private static Optional<Duration> parse(String value, boolean millis) {
        try {
            double amount = Double.parseDouble(value.trim());
            return amount < 0 ? Optional.empty()
                    : Optional.of(Duration.ofMillis((long) (millis ? amount : amount * 1000)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration delay = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }

    /** The message of an Anthropic or OpenAI error body, else the body itself, shortened. */
    private static String detail(String body) {
        String message = body == null ? "" : body.strip();
        try (JsonReader reader = JSON.createReader(new StringReader(message))) {
            JsonObject json = reader.readObject();
            JsonObject error = json.getJsonObject("error");
            if (error != null && error.containsKey("message")) {
                message = error.getString("message", message);
            }
        } catch (RuntimeException notJson) {
            // keep the raw text
        }
        if (message.isEmpty()) {
            message = "no detail";
        }
        return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message;
    }
}
