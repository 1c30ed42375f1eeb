package io.llmgateway.host.router;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import static java.util.Objects.requireNonNull;

/**
 * How long to wait before retrying a deployment: what it asked for ({@code retry-after-ms}, else
 * {@code retry-after} in seconds or as an HTTP date), else the OpenAI SDKs' own backoff, 0.5 s doubling
 * to at most 8 s, minus up to a quarter at random, so that clients and gateway back off alike.
 */
public final class Backoff {

    private static final Duration INITIAL = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(8);

    private final DoubleSupplier random;

    /**
     * Creates a backoff.
     *
     * @param random uniform in [0, 1), for the jitter
     */
    public Backoff(DoubleSupplier random) {
        this.random = requireNonNull(random, "random is null");
    }

    /**
     * The delay before a retry.
     *
     * @param retry      which retry this is, 1 for the first
     * @param retryAfter what the deployment asked for, if it did
     * @return the delay
     */
    public Duration delay(int retry, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return retryAfter.get();
        }
        double millis = Math.min(INITIAL.toMillis() * Math.pow(2, Math.max(0, retry - 1)), MAX.toMillis());
        return Duration.ofMillis(Math.round(millis * (1 - 0.25 * random.getAsDouble())));
    }

    /**
     * What a deployment's answer asked for, from its headers.
     *
     * @param retryAfterMs the {@code retry-after-ms} header, if any
     * @param retryAfter   the {@code retry-after} header, if any: seconds (perhaps with a fraction) or an HTTP date
     * @param now          the time, for a date
     * @return the wait, empty when neither header says one that can be read; never negative
     */
    public static Optional<Duration> retryAfter(Optional<String> retryAfterMs, Optional<String> retryAfter, Instant now) {
        Optional<Duration> millis = retryAfterMs.flatMap(value -> seconds(value, 1e-3));
        if (millis.isPresent()) {
            return millis;
        }
        return retryAfter.flatMap(value -> seconds(value, 1).or(() -> date(value, now)));
    }

    private static Optional<Duration> seconds(String value, double unitSeconds) {
        try {
            double amount = Double.parseDouble(value.trim());
            if (Double.isNaN(amount) || Double.isInfinite(amount)) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(Math.max(0, Math.round(amount * unitSeconds * 1000))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> date(String value, Instant now) {
        try {
            Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
