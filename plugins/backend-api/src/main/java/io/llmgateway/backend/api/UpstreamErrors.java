package io.llmgateway.backend.api;

import java.io.StringReader;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;

import io.llmgateway.anthropic.AnthropicErrors;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Maps an upstream's failure to the error the gateway's client should see and to what it means for the
 * deployment ({@link FailureKind}): the body's message, the {@code retry-after} headers, OpenAI's error codes
 * ({@code context_length_exceeded}, {@code content_policy_violation}, {@code insufficient_quota}...), and the
 * status mapping Anthropic and OpenAI-compatible upstreams share ({@link AnthropicErrors#fromError}). The
 * gateway's own key is never part of a message.
 */
final class UpstreamErrors {

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
        UpstreamError error = UpstreamError.parse(body);
        return error.byCode(upstream)
                .orElseGet(() -> AnthropicErrors.fromError(upstream, status, error.detail(),
                                                           retryAfter));
    }

    /**
     * The client's error for an error an OpenAI-compatible upstream sent in the middle of a stream, after its
     * 200: {@code {"error":{...}}}, or vLLM's and sglang's {@code {"object":"error",...}}. Its numeric
     * {@code code} (vLLM, sglang) or its {@code type} stands for the status it would have had.
     *
     * @param upstream the upstream's name, for messages
     * @param error    the error object
     * @return the error
     */
    static GatewayException fromStreamError(String upstream, JsonObject error) {
        UpstreamError parsed = UpstreamError.of(error);
        Optional<Integer> status = parsed.status();
        if (status.isPresent()) {
            int code = status.get();
            return parsed.byCode(upstream)
                    .orElseGet(() -> AnthropicErrors.fromError(upstream, code, parsed.detail(), Optional.empty()));
        }
        if (AnthropicErrors.saysContextWindow(parsed.detail())) {
            return AnthropicErrors.contextWindowExceeded(upstream, parsed.detail());
        }
        return GatewayException.badGateway(sentence(upstream) + " reported an error in the middle of its stream: "
                                                   + parsed.detail()).withFailureKind(FailureKind.SERVER);
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

    /** {@code the upstream at URL} as the start of a sentence. */
    static String sentence(String upstream) {
        return upstream.isEmpty() ? upstream : Character.toUpperCase(upstream.charAt(0)) + upstream.substring(1);
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

    /**
     * An upstream's error as its body says it: Anthropic's {@code {"type":"error","error":{"type","message"}}},
     * OpenAI's {@code {"error":{"message","type","code"}}}, vLLM's older {@code {"object":"error","message",...}},
     * or text.
     *
     * @param detail the message (else the body), shortened
     * @param type   the error's {@code type}, empty if none
     * @param code   the error's {@code code} (OpenAI's string, or vLLM's status number), null if none
     */
    private record UpstreamError(String detail, String type, JsonValue code) {

        static UpstreamError parse(String body) {
            String text = body == null ? "" : body.strip();
            try (JsonReader reader = JSON.createReader(new StringReader(text))) {
                JsonObject json = reader.readObject();
                JsonObject error = json.get("error") instanceof JsonObject nested ? nested : json;
                if (error.get("message") instanceof JsonString) {
                    return of(error);
                }
            } catch (RuntimeException notJson) {
                // keep the raw text
            }
            return new UpstreamError(shortened(text), "", null);
        }

        static UpstreamError of(JsonObject error) {
            String message = error.get("message") instanceof JsonString text ? text.getString().strip() : "";
            String type = error.get("type") instanceof JsonString text ? text.getString() : "";
            return new UpstreamError(shortened(message), type, error.get("code"));
        }

        /** An error OpenAI's code (or type) says more about than the status. */
        Optional<GatewayException> byCode(String upstream) {
            String name = code instanceof JsonString text ? text.getString() : "";
            return switch (name) {
                case "context_length_exceeded" -> Optional.of(AnthropicErrors.contextWindowExceeded(upstream, detail));
                case "content_policy_violation", "content_filter" -> Optional.of(new GatewayException(
                        400, "invalid_request_error", Optional.of(name), Optional.empty(),
                        upstream + " refused the content: " + detail).withFailureKind(FailureKind.CONTENT_POLICY));
                case "insufficient_quota" -> Optional.of(AnthropicErrors.quotaExhausted(upstream, detail));
                // a 404 whatever the status: the deployment names a model its upstream does not serve
                case "model_not_found", "DeploymentNotFound" -> Optional.of(
                        AnthropicErrors.fromError(upstream, 404, detail, Optional.empty()));
                default -> type.equals("insufficient_quota")
                        ? Optional.of(AnthropicErrors.quotaExhausted(upstream, detail)) : Optional.empty();
            };
        }

        /** The status a stream's error stands for: its numeric code, else its type's; empty when neither says. */
        Optional<Integer> status() {
            if (code instanceof JsonNumber number && number.isIntegral() && number.intValue() >= 400
                    && number.intValue() <= 599) {
                return Optional.of(number.intValue());
            }
            if (code instanceof JsonString text) {
                switch (text.getString()) {
                    case "context_length_exceeded", "content_policy_violation", "content_filter" -> {
                        return Optional.of(400);
                    }
                    case "rate_limit_exceeded", "insufficient_quota" -> {
                        return Optional.of(429);
                    }
                    default -> {
                        // the type may say
                    }
                }
            }
            return switch (type) {
                case "requests", "tokens", "rate_limit_error" -> Optional.of(429);
                case "insufficient_quota" -> Optional.of(429);
                case "invalid_request_error" -> Optional.of(400);
                case "overloaded_error" -> Optional.of(529);
                default -> Optional.empty();
            };
        }

        private static String shortened(String message) {
            if (message.isEmpty()) {
                return "no detail";
            }
            return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message;
        }
    }
}
