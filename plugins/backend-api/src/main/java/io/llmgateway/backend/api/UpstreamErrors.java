package io.llmgateway.backend.api;

import java.io.StringReader;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;

import io.llmgateway.anthropic.AnthropicErrors;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

/**
 * Maps an upstream's failure to the error the gateway's client should see: the body's message, the
 * {@code retry-after} headers, and the status mapping Anthropic and OpenAI-compatible upstreams share
 * ({@link AnthropicErrors}). The gateway's own key is never part of a message.
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
        return AnthropicErrors.fromStatus(upstream, status, detail(body), retryAfter.orElse(DEFAULT_RETRY_AFTER));
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
