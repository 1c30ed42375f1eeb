package io.llmgateway.host.router;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.llmgateway.testing.ManualClock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The breaker on a manual clock and without jitter (the random source answers 0.5): opening on counted
 * failures and at once, skipping while open, one probe when half open, cooldowns that grow and never shrink.
 */
final class TestBreaker {

    private static final Breaker.Settings SETTINGS = new Breaker.Settings(3, Duration.ofSeconds(30),
                                                                          Duration.ofSeconds(30), Duration.ofSeconds(300));
    private static final Breaker.Failure SERVER_ERROR = Breaker.Failure.counting("HTTP 500");

    private final ManualClock clock = new ManualClock();
    private final Breaker breaker = new Breaker(SETTINGS, clock, () -> 0.5);

    @Test
    void countedFailuresWithinTheWindowOpenItAndAnOpenBreakerLetsNothingThrough() {
        fail(2);
        assertEquals(Breaker.State.CLOSED, breaker.snapshot().state());
        clock.advance(Duration.ofSeconds(31)); // the first two are out of the window now
        fail(2);
        assertEquals(Breaker.State.CLOSED, breaker.snapshot().state());

        fail(1);

        assertEquals(Breaker.State.OPEN, breaker.snapshot().state());
        assertEquals(Optional.of(clock.instant().plusSeconds(30)), breaker.snapshot().openUntil());
        assertEquals("HTTP 500", breaker.snapshot().reason());
        assertTrue(breaker.tryAcquire(later()).isEmpty());
        clock.advance(Duration.ofSeconds(29));
        assertTrue(breaker.tryAcquire(later()).isEmpty(), "skipped, never tried, while open");
    }

    @Test
    void halfOpenLetsExactlyOneProbeThroughAndItsSuccessCloses() {
        openWithThreeFailures();
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Breaker.State.HALF_OPEN, breaker.snapshot().state());

        Breaker.Permit probe = breaker.tryAcquire(later()).orElseThrow();
        assertTrue(probe.isProbe());
        assertTrue(breaker.tryAcquire(later()).isEmpty(), "one probe at a time");

        probe.succeeded();

        assertEquals(Breaker.State.CLOSED, breaker.snapshot().state());
        assertFalse(breaker.tryAcquire(later()).orElseThrow().isProbe());
    }

    @Test
    void aFailedProbeOpensItAgainForTwiceAsLongUpToTheMaximum() {
        openWithThreeFailures();
        Duration[] expected = {Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(240),
                               Duration.ofSeconds(300), Duration.ofSeconds(300)};
        Duration open = Duration.ofSeconds(30);
        for (Duration next : expected) {
            clock.advance(open);
            breaker.tryAcquire(later()).orElseThrow().failed(SERVER_ERROR);
            assertEquals(Optional.of(clock.instant().plus(next)), breaker.snapshot().openUntil());
            open = next;
        }
    }

    @Test
    void aCleanWindowAfterClosingStartsAgainFromTheShortestCooldown() {
        openWithThreeFailures();
        clock.advance(Duration.ofSeconds(30));
        breaker.tryAcquire(later()).orElseThrow().failed(SERVER_ERROR); // 60 s now
        clock.advance(Duration.ofSeconds(60));
        breaker.tryAcquire(later()).orElseThrow().succeeded();
        clock.advance(Duration.ofSeconds(31));

        openWithThreeFailures();

        assertEquals(Optional.of(clock.instant().plusSeconds(30)), breaker.snapshot().openUntil());
    }

    @Test
    void aRetryAfterOpensAtOnceForAtLeastThatLongAndALaterShorterOneDoesNotShortenIt() {
        Breaker.Permit[] inFlight = {breaker.tryAcquire(later()).orElseThrow(), breaker.tryAcquire(later()).orElseThrow()};
        Instant named = clock.instant().plusSeconds(90);
        breaker.tryAcquire(later()).orElseThrow().failed(Breaker.Failure.opening(Optional.of(named), "HTTP 429"));
        assertEquals(Breaker.State.OPEN, breaker.snapshot().state());
        assertEquals(Optional.of(named), breaker.snapshot().openUntil());

        // results of attempts that began before it opened: a shorter time changes nothing, a longer one extends
        inFlight[0].failed(Breaker.Failure.opening(Optional.of(clock.instant().plusSeconds(1)), "HTTP 429"));
        assertEquals(Optional.of(named), breaker.snapshot().openUntil());
        inFlight[1].failed(Breaker.Failure.opening(Optional.of(named.plusSeconds(30)), "HTTP 429"));
        assertEquals(Optional.of(named.plusSeconds(30)), breaker.snapshot().openUntil());
    }

    @Test
    void lateFailuresOfAttemptsFromBeforeTheOpeningNeverRestartTheCooldown() {
        Breaker.Permit[] inFlight = {breaker.tryAcquire(later()).orElseThrow(), breaker.tryAcquire(later()).orElseThrow()};
        openWithThreeFailures();
        Instant until = breaker.snapshot().openUntil().orElseThrow();
        clock.advance(Duration.ofSeconds(20));

        inFlight[0].failed(SERVER_ERROR);
        inFlight[1].succeeded();

        assertEquals(Optional.of(until), breaker.snapshot().openUntil(), "not restarted by a late failure");
        assertEquals(Breaker.State.OPEN, breaker.snapshot().state(), "not closed by a late success");
    }

    @Test
    void aProbeThatNeverReportsLapsesAtItsDeadlineAndANeutralOneFreesTheWay() {
        openWithThreeFailures();
        clock.advance(Duration.ofSeconds(30));
        Breaker.Permit hung = breaker.tryAcquire(clock.instant().plusSeconds(10)).orElseThrow();
        clock.advance(Duration.ofSeconds(9));
        assertTrue(breaker.tryAcquire(later()).isEmpty());
        clock.advance(Duration.ofSeconds(2));

        Breaker.Permit second = breaker.tryAcquire(later()).orElseThrow();
        assertTrue(second.isProbe());
        hung.succeeded(); // too late: it is no longer the probe
        assertEquals(Breaker.State.HALF_OPEN, breaker.snapshot().state());

        second.neutral();
        Breaker.Permit third = breaker.tryAcquire(later()).orElseThrow();
        third.succeeded();
        assertEquals(Breaker.State.CLOSED, breaker.snapshot().state());
    }

    @Test
    void aPermitReportsOnce() {
        Breaker.Permit permit = breaker.tryAcquire(later()).orElseThrow();
        permit.failed(SERVER_ERROR);
        permit.failed(SERVER_ERROR);
        permit.failed(SERVER_ERROR);

        assertEquals(1, breaker.snapshot().failures());
    }

    @Test
    void theJitterSpreadsTheCooldownByATenthEachWay() {
        Breaker low = new Breaker(SETTINGS, clock, () -> 0.0);
        Breaker high = new Breaker(SETTINGS, clock, () -> 0.999_999);
        low.tryAcquire(later()).orElseThrow().failed(Breaker.Failure.opening(Optional.empty(), "key refused"));
        high.tryAcquire(later()).orElseThrow().failed(Breaker.Failure.opening(Optional.empty(), "key refused"));

        assertEquals(Optional.of(clock.instant().plusSeconds(27)), low.snapshot().openUntil());
        assertEquals(Optional.of(clock.instant().plusSeconds(33)), high.snapshot().openUntil());
    }

    private void openWithThreeFailures() {
        fail(3);
        assertEquals(Breaker.State.OPEN, breaker.snapshot().state());
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.tryAcquire(later()).orElseThrow().failed(SERVER_ERROR);
        }
    }

    private Instant later() {
        return clock.instant().plusSeconds(60);
    }
}
