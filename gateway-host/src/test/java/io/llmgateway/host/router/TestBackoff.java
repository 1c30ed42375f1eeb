package io.llmgateway.host.router;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retry delays: the deployment's own {@code retry-after-ms} / {@code retry-after} first, else the SDKs' backoff.
 */
final class TestBackoff {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void withoutAskingItDoublesFromHalfASecondToEightLessUpToAQuarter() {
        Backoff none = new Backoff(() -> 0.0);
        Backoff most = new Backoff(() -> 0.999_999);

        assertEquals(Duration.ofMillis(500), none.delay(1, Optional.empty()));
        assertEquals(Duration.ofMillis(1000), none.delay(2, Optional.empty()));
        assertEquals(Duration.ofMillis(4000), none.delay(4, Optional.empty()));
        assertEquals(Duration.ofSeconds(8), none.delay(5, Optional.empty()));
        assertEquals(Duration.ofSeconds(8), none.delay(40, Optional.empty()));
        assertEquals(Duration.ofMillis(375), most.delay(1, Optional.empty()));
    }

    @Test
    void whatTheDeploymentAskedForWins() {
        assertEquals(Duration.ofSeconds(20), new Backoff(() -> 0.5).delay(1, Optional.of(Duration.ofSeconds(20))));
    }

    @Test
    void retryAfterIsReadInMillisecondsSecondsOrAsADate() {
        assertEquals(Optional.of(Duration.ofMillis(1500)),
                     Backoff.retryAfter(Optional.of("1500"), Optional.of("30"), NOW), "retry-after-ms first");
        assertEquals(Optional.of(Duration.ofSeconds(30)), Backoff.retryAfter(Optional.empty(), Optional.of("30"), NOW));
        assertEquals(Optional.of(Duration.ofMillis(2500)), Backoff.retryAfter(Optional.empty(), Optional.of("2.5"), NOW));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                     Backoff.retryAfter(Optional.empty(), Optional.of("Thu, 03 Dec 2026 12:01:30 GMT"), NOW));
        assertEquals(Optional.of(Duration.ZERO),
                     Backoff.retryAfter(Optional.empty(), Optional.of("Thu, 03 Dec 2026 11:00:00 GMT"), NOW));
        assertEquals(Optional.of(Duration.ZERO), Backoff.retryAfter(Optional.empty(), Optional.of("-5"), NOW));
    }

    @Test
    void unreadableValuesAreNoValue() {
        assertEquals(Optional.empty(), Backoff.retryAfter(Optional.of("soon"), Optional.of("later"), NOW));
        assertEquals(Optional.of(Duration.ofSeconds(3)), Backoff.retryAfter(Optional.of("NaN"), Optional.of("3"), NOW));
        assertEquals(Optional.empty(), Backoff.retryAfter(Optional.empty(), Optional.empty(), NOW));
    }
}
