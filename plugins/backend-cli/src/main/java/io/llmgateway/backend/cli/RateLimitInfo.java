package io.llmgateway.backend.cli;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The subscription's allowance as one {@code rate_limit_info} of the CLI reports it (in a {@code rate_limit_event}
 * line, or in the {@code api_error_params} of a refused turn's notice), which the CLI derives from the upstream's
 * {@code anthropic-ratelimit-unified-*} headers. Only {@code rejected} means used up, and only with a reset time:
 * a plain 429 without those headers is reported as {@code rejected} alone.
 *
 * @param status      {@code allowed}, {@code allowed_warning} or {@code rejected}
 * @param resetsAt    when the window resets
 * @param window      the window that decided ({@code five_hour}, {@code seven_day}, ...)
 * @param utilization how much of the window is used, 0 to 1
 */
record RateLimitInfo(String status, Optional<Instant> resetsAt, Optional<String> window, OptionalDouble utilization) {

    static final String REJECTED = "rejected";
    static final String WARNING = "allowed_warning";

    /**
     * Reads a {@code rate_limit_info} object.
     *
     * @param info the value, of any JSON type
     * @return the allowance, empty when the value is no object or has no status
     */
    static Optional<RateLimitInfo> of(JsonValue info) {
        if (!(info instanceof JsonObject object) || !(object.get("status") instanceof JsonString status)
                || status.getString().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new RateLimitInfo(
                status.getString(),
                object.get("resetsAt") instanceof JsonNumber at ? Optional.of(Instant.ofEpochSecond(at.longValue()))
                        : Optional.empty(),
                object.get("rateLimitType") instanceof JsonString type ? Optional.of(type.getString()) : Optional.empty(),
                object.get("utilization") instanceof JsonNumber used ? OptionalDouble.of(used.doubleValue())
                        : OptionalDouble.empty()));
    }

    /** Whether the upstream refused the request for the subscription's limit (a reset time says it was that limit). */
    boolean exhausted() {
        return status.equals(REJECTED) && resetsAt.isPresent();
    }

    boolean warning() {
        return status.equals(WARNING);
    }

    /** In one line for the log: {@code allowed_warning five_hour 92% resets 2026-12-03T17:36:31Z}. */
    String describe() {
        StringBuilder line = new StringBuilder(status);
        window.ifPresent(name -> line.append(' ').append(name));
        utilization.ifPresent(used -> line.append(' ').append(String.format(Locale.ROOT, "%.0f%%", used * 100)));
        resetsAt.ifPresent(at -> line.append(" resets ").append(at));
        return line.toString();
    }
}
