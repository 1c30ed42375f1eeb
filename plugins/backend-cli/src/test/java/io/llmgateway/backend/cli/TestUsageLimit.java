package io.llmgateway.backend.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.llmgateway.api.Capacity;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.SessionInfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Claude subscription's usage limit through the pool, on fake CLI processes that refuse turns the way the real
 * CLI does: the turn that finds it fails with QUOTA_EXHAUSTED and nothing of the CLI's notice, later requests fail at
 * once without a turn, the session stays, and after the reset requests are served again. Also the warning near the
 * limit, and the capacity the pool reports.
 */
final class TestUsageLimit {

    @TempDir
    Path dir;

    @Test
    void aRefusedTurnHoldsThePoolUntilTheReset() throws Exception {
        long resetsAt = Instant.now().getEpochSecond() + 4;
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of("FAKE_CLI_USAGE_LIMIT", "2:" + resetsAt)).awaitUp()) {
            assertTrue(cli.chat("first").text().startsWith("echo: first"));
            String session = cli.sessions().getFirst().id();

            List<ChatDelta> seen = new CopyOnWriteArrayList<>();
            GatewayException refused = assertThrows(GatewayException.class, () -> cli.chat(
                    CliFixture.streamed("second"), Instant.now().plusSeconds(30), seen::add));

            assertEquals(List.of(), seen, "nothing reached the stream, the CLI's notice least of all");
            assertQuotaExhausted(refused, resetsAt);
            assertTrue(refused.getMessage().contains("5-hour usage limit"), refused.getMessage());

            long started = System.nanoTime();
            GatewayException atOnce = assertThrows(GatewayException.class, () -> cli.chat("third"));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(500)) < 0,
                       "refused without waiting for a turn");
            assertQuotaExhausted(atOnce, resetsAt);
            assertFalse(cli.transcript().stream().anyMatch(line -> line.contains("third")), "no turn was sent");
            assertEquals(0, cli.backend().capacity().orElseThrow().free(), "no session is free for the router");
            assertTrue(cli.health().isUp(), cli.health().toString());
            assertTrue(cli.health().detail().contains("usage limit (5-hour) is reached until"), cli.health().detail());
            assertEquals(1.0, cli.gauge("llm_cli_usage_limited"));
            assertEquals(2, cli.counter("llm_cli_usage_limit_refusals_total"));

            SessionInfo kept = cli.sessions().getFirst();
            assertEquals(session, kept.id(), "the session is kept: the limit is the account's, not the session's");
            assertEquals(1, cli.sessions().size());
            assertEquals(0, cli.counter("llm_cli_recycles_total"));

            Thread.sleep(Math.max(0, resetsAt * 1000 - System.currentTimeMillis() + 100));
            CliFixture.Answer again = cli.chat("after the reset");
            assertTrue(again.text().startsWith("echo: after the reset"), again.text());
            assertEquals(session, again.annotations().get("session"));
            assertEquals(0.0, cli.gauge("llm_cli_usage_limited"));
            assertEquals(1, cli.backend().capacity().orElseThrow().free());
        }
    }

    @Test
    void theResultAloneHoldsThePoolToo() {
        long resetsAt = Instant.now().getEpochSecond() + 30;
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of("FAKE_CLI_USAGE_LIMIT", "1:" + resetsAt + ":result"))
                .awaitUp()) {
            GatewayException refused = assertThrows(GatewayException.class, () -> cli.chat("hello"));
            assertQuotaExhausted(refused, resetsAt);
            assertQuotaExhausted(assertThrows(GatewayException.class, () -> cli.chat("again")), resetsAt);
            assertEquals(1, cli.transcript().stream().filter(line -> line.contains("\"type\":\"user\"")).count(),
                         "one turn only: " + cli.transcript());
        }
    }

    @Test
    void requestsWaitingForASessionFailWithoutATurn() throws Exception {
        long resetsAt = Instant.now().getEpochSecond() + 30;
        Map<String, String> fake = Map.of("FAKE_CLI_USAGE_LIMIT", "1:" + resetsAt + ":weekly");
        try (CliFixture cli = CliFixture.start(dir, Map.of(), fake).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<CliFixture.Answer>> requests = List.of(clients.submit(() -> cli.chat("one")),
                                                               clients.submit(() -> cli.chat("two")),
                                                               clients.submit(() -> cli.chat("three")));
            for (Future<CliFixture.Answer> request : requests) {
                Exception failed = assertThrows(Exception.class, request::get);
                GatewayException error = (GatewayException) failed.getCause();
                assertQuotaExhausted(error, resetsAt);
                assertTrue(error.getMessage().contains("weekly usage limit"), error.getMessage());
            }
            assertEquals(1, cli.transcript().stream().filter(line -> line.contains("\"type\":\"user\"")
                    && !line.contains("/clear")).count(), "one turn found the limit: " + cli.transcript());
        }
    }

    @Test
    void aWarningNearTheLimitIsServedAndNoted() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of("FAKE_CLI_USAGE_WARNING_ON_TURN", "1")).awaitUp()) {
            CliFixture.Answer answer = cli.chat("nearly out");

            assertEquals("echo: nearly out [turn=1]", answer.text());
            assertTrue(answer.annotations().getOrDefault("cli_usage", "").startsWith("allowed_warning five_hour 92% resets "),
                       answer.annotations().toString());
            assertEquals(1, cli.counter("llm_cli_usage_warnings_total"));
            assertTrue(cli.health().detail().contains("Claude usage near its limit: allowed_warning"), cli.health().detail());

            CliFixture.Answer next = cli.chat("plenty left");
            assertFalse(next.annotations().containsKey("cli_usage"), "nothing reported: nothing noted");
        }
    }

    @Test
    void capacityCountsIdleSessionsOutOfThePoolAndItsOverflow() throws Exception {
        Map<String, String> settings = Map.of("LLM_POOL_SIZE", "2", "LLM_POOL_MAX_OVERFLOW", "1");
        try (CliFixture cli = CliFixture.start(dir, settings, Map.of()).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            awaitCapacity(cli, new Capacity(2, 3));

            Future<CliFixture.Answer> busy = clients.submit(() -> cli.chat("one two three four [[slow]]"));
            awaitCapacity(cli, new Capacity(1, 3));
            assertTrue(busy.get().text().startsWith("echo: one two"));
            awaitCapacity(cli, new Capacity(2, 3));
        }
        try (CliFixture none = CliFixture.start(dir.resolve("none"), Map.of("LLM_POOL_SIZE", "0"), Map.of())) {
            assertEquals(Optional.of(new Capacity(0, 0)), none.backend().capacity());
        }
    }

    private static void awaitCapacity(CliFixture cli, Capacity expected) {
        CliFixture.await(() -> cli.backend().capacity().equals(Optional.of(expected)), Duration.ofSeconds(10),
                         () -> "capacity " + cli.backend().capacity() + ", sessions " + cli.sessions());
    }

    private static void assertQuotaExhausted(GatewayException error, long resetsAt) {
        assertEquals(429, error.status(), error.getMessage());
        assertEquals(FailureKind.QUOTA_EXHAUSTED, error.failureKind());
        assertEquals(Optional.of("usage_limit_reached"), error.code());
        long untilReset = resetsAt - Instant.now().getEpochSecond();
        long retryAfter = error.retryAfter().orElseThrow().toSeconds();
        assertTrue(retryAfter >= 1 && Math.abs(retryAfter - untilReset) <= 2,
                   "Retry-After " + retryAfter + " s, reset in " + untilReset + " s");
        assertTrue(error.getMessage().contains("resets at " + Instant.ofEpochSecond(resetsAt)), error.getMessage());
    }
}
