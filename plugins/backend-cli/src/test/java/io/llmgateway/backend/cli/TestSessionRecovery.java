package io.llmgateway.backend.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.SessionInfo;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions that crash, hang, stop answering pings or never start; and shutdown.
 */
final class TestSessionRecovery {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aSessionKilledWhileIdleIsReplacedInTheBackground() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of()).awaitUp()) {
            SessionInfo first = cli.sessions().getFirst();

            kill(first);

            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.state().equals("idle")
                                     && !s.id().equals(first.id())), WAIT, () -> "no replacement: " + cli.sessions());
            assertTrue(cli.sessions().stream().anyMatch(s -> s.id().equals(first.id()) && s.state().equals("failed")));
            assertTrue(cli.chat("after the crash").text().startsWith("echo: after the crash"));
            assertEquals(1, cli.counter("llm_cli_recycles_total"));
        }
    }

    @Test
    void aKilledOverflowSessionIsReplacedWithoutWaitingForTheNextQueue() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_MAX_OVERFLOW", "1"), Map.of()).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<CliFixture.Answer> one = clients.submit(() -> cli.chat("one [[slow]]"));
            Future<CliFixture.Answer> two = clients.submit(() -> cli.chat("two [[slow]]"));
            one.get();
            two.get();
            SessionInfo overflow = cli.sessions().stream().filter(s -> s.origin().equals("overflow")).findFirst()
                    .orElseThrow(() -> new AssertionError("no overflow session: " + cli.sessions()));
            CliFixture.await(() -> cli.sessions().stream().allMatch(s -> s.state().equals("idle")), WAIT,
                             () -> "not idle: " + cli.sessions());

            kill(overflow);

            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.origin().equals("overflow")
                                     && s.state().equals("idle") && !s.id().equals(overflow.id())),
                             WAIT, () -> "the overflow session was not replaced: " + cli.sessions());
        }
    }

    @Test
    void aSessionKilledMidAnswerEndsTheRequestCleanly() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of()).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            SessionInfo session = cli.sessions().getFirst();
            Future<CliFixture.Answer> answer = clients.submit(() -> cli.chat(
                    CliFixture.streamed("[[long]] [[slow]]"), Instant.now().plusSeconds(30), delta -> {
                        if (delta instanceof ChatDelta.Text) {
                            kill(session);
                        }
                    }));

            Exception e = assertThrows(Exception.class, answer::get);

            GatewayException error = (GatewayException) e.getCause();
            assertEquals(502, error.status());
            assertEquals(FailureKind.SERVER, error.failureKind());
            assertTrue(error.getMessage().contains("died"), error.getMessage());
            CliFixture.await(() -> cli.health().isUp() && cli.sessions().stream().anyMatch(s -> s.state().equals("idle")),
                             WAIT, () -> "no replacement: " + cli.sessions());
        }
    }

    @Test
    void aWholeAnswerIsServedAgainWhenItsSessionDiesMidAnswer() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2"), Map.of()).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CliFixture.await(() -> cli.health().detail().startsWith("2 "), WAIT, () -> "not 2 warm: " + cli.health());
            List<ChatDelta> seen = new CopyOnWriteArrayList<>();
            Future<CliFixture.Answer> answer = clients.submit(() -> cli.chat(
                    CliFixture.request("one two three four five six [[slow]]"), Instant.now().plusSeconds(30),
                    seen::add));
            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.state().equals("busy")), WAIT, () -> "never busy");
            SessionInfo serving = cli.sessions().stream().filter(s -> s.state().equals("busy")).findFirst().orElseThrow();

            Thread.sleep(700); // three or four words into the turn
            kill(serving);

            assertEquals("echo: one two three four five six [[slow]] [turn=1]", answer.get().text());
            assertEquals(1, seen.stream().filter(ChatDelta.Finish.class::isInstance).count(), seen.toString());
            assertEquals(answer.get().text(), ChatCompletion.of(seen).text(), "the sink saw no part of the first attempt");
        }
    }

    @Test
    void aSessionThatDiesBeforeAnsweringIsRetriedOnAnother() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2"),
                                               Map.of("FAKE_CLI_CRASH_ON_TURN", "1", "FAKE_CLI_REPLY", "x")).awaitUp()) {
            CliFixture.await(() -> cli.health().detail().startsWith("2 "), WAIT, () -> "not 2 warm: " + cli.health());

            // every fresh process crashes on its first turn; "x" is one word, so it crashes before any delta
            GatewayException e = assertThrows(GatewayException.class, () -> cli.chat("hello"));

            assertEquals(502, e.status());
            long failed = cli.sessions().stream().filter(s -> s.state().equals("failed")).count();
            assertEquals(2, failed, "tried on two sessions: " + cli.sessions());
        }
    }

    @Test
    void aHungTurnTimesOutAndItsSessionIsReplaced() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of("FAKE_CLI_HANG_ON_TURN", "1")).awaitUp()) {
            SessionInfo hung = cli.sessions().getFirst();

            long started = System.nanoTime();
            GatewayException e = assertThrows(GatewayException.class, () -> cli.chat(
                    CliFixture.request("hello"), Instant.now().plusSeconds(1), delta -> { }));

            assertEquals(504, e.status());
            assertEquals(FailureKind.TIMEOUT, e.failureKind());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos());
            CliFixture.await(() -> !ProcessHandle.of(hung.pid().getAsLong()).map(ProcessHandle::isAlive).orElse(false),
                             WAIT, () -> "the hung process still runs");
            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.state().equals("idle")), WAIT,
                             () -> "no replacement: " + cli.sessions());
        }
    }

    @Test
    void aTurnTheCliStopsReadingEndsItsSessionInsteadOfBlockingItsRequest() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of("FAKE_CLI_STOP_READING_ON_TURN", "1",
                                                                     "FAKE_CLI_REPLY", "ok")).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            cli.chat("the last line it reads");
            SessionInfo deaf = cli.sessions().getFirst();
            // continues the conversation, so all 200 KB go to the process that no longer reads: more than its pipe holds
            List<ChatMessage> continued = List.of(ChatMessage.of(Role.USER, "the last line it reads"),
                                                  ChatMessage.of(Role.ASSISTANT, "ok"),
                                                  ChatMessage.of(Role.USER, "x ".repeat(100_000)));
            long started = System.nanoTime();
            Future<CliFixture.Answer> answer = clients.submit(() -> cli.chat(CliFixture.request(
                    "claude-sonnet", continued, List.of(), OptionalInt.empty(), JsonValue.EMPTY_JSON_OBJECT)));
            try {
                assertEquals("ok", answer.get(25, TimeUnit.SECONDS).text(), "served again on a new session");
            } finally {
                kill(deaf); // frees a request blocked for good, should it be
            }

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(CliProcess.STDIN_TIMEOUT) >= 0 && took.compareTo(Duration.ofSeconds(20)) < 0,
                       "the write gave up after " + CliProcess.STDIN_TIMEOUT + ": " + took);
            assertTrue(cli.sessions().stream().anyMatch(s -> s.id().equals(deaf.id()) && s.state().equals("failed")),
                       cli.sessions().toString());
        }
    }

    @Test
    void idleSessionsArePingedWithoutModelTurns() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_KEEP_ALIVE_INTERVAL", "0.5"), Map.of()).awaitUp()) {
            CliFixture.await(() -> cli.transcript().stream().filter(line -> line.contains("\"mcp_status\"")).count() >= 2,
                             WAIT, () -> "no pings: " + cli.transcript());

            assertTrue(cli.transcript().stream().noneMatch(line -> line.contains("\"type\":\"user\"")));
            assertEquals("idle", cli.sessions().getFirst().state());
        }
    }

    @Test
    void aSessionThatDoesNotAnswerAPingIsReplaced() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_KEEP_ALIVE_INTERVAL", "0.5"),
                                               Map.of("FAKE_CLI_HANG_ON_PING", "1")).awaitUp()) {
            String first = cli.sessions().getFirst().id();

            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.id().equals(first) && s.state().equals("failed")),
                             Duration.ofSeconds(30), () -> "not replaced: " + cli.sessions());
        }
    }

    @Test
    void aCliThatCannotStartMakesTheBackendDownWithoutASpawnLoop() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2"),
                                               Map.of("FAKE_CLI_FAIL_START", "not logged in"))) {
            CliFixture.await(() -> cli.health().state() == BackendHealth.State.DOWN, WAIT, () -> "not down: " + cli.health());
            assertTrue(cli.health().detail().contains("not logged in"), cli.health().detail());

            GatewayException e = assertThrows(GatewayException.class, () -> cli.chat("hi"));
            assertEquals(503, e.status());
            assertEquals(FailureKind.DEPLOYMENT_BROKEN, e.failureKind(), "a login does not come by itself");
            assertTrue(e.retryAfter().isPresent());

            long failuresSoFar = cli.counter("llm_cli_spawn_failures_total");
            Thread.sleep(2500);
            assertTrue(cli.counter("llm_cli_spawn_failures_total") - failuresSoFar <= 2,
                       "backs off instead of respawning: " + cli.counter("llm_cli_spawn_failures_total"));
        }
    }

    @Test
    void aSessionThatCannotPrepareItsFilesIsReportedInWords() throws Exception {
        Files.createDirectories(dir.resolve("sessions"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(dir.resolve("sessions").resolve("cli-" + i), "in the way"); // where its directory goes
        }
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of())) {
            CliFixture.await(() -> cli.health().state() == BackendHealth.State.DOWN, WAIT, () -> "not down: " + cli.health());

            GatewayException e = assertThrows(GatewayException.class, () -> cli.chat("hi"));

            assertEquals(503, e.status());
            assertTrue(e.getMessage().startsWith("cannot start a claude session: cannot prepare its files: "), e.getMessage());
            assertTrue(e.getMessage().matches(".*/cli-\\d/config: not a directory"), e.getMessage());
        }
    }

    @Test
    void credentialsThatAreNotAFileDoNotHoldUpTheStart() throws Exception {
        Path fifo = dir.resolve("credentials.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());

        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_CLI_CREDENTIALS", fifo.toString()), Map.of())) {
            cli.awaitUp(); // reading the pipe would wait for a writer that never comes
        }
    }

    @Test
    void aMissingCommandIsReportedInOneLine() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_CLI_COMMAND", "/nonexistent/claude"), Map.of())) {
            BackendHealth health = cli.health();

            assertEquals(BackendHealth.State.DOWN, health.state());
            assertTrue(health.detail().contains("/nonexistent/claude"), health.detail());
            assertTrue(health.detail().contains("npm install -g @anthropic-ai/claude-code"), health.detail());
            GatewayException e = assertThrows(GatewayException.class, () -> cli.chat("hi"));
            assertEquals(503, e.status());
            assertEquals(FailureKind.DEPLOYMENT_BROKEN, e.failureKind());
            assertEquals(health.detail(), e.getMessage());
            assertEquals(List.of(), cli.sessions());
        }
    }

    @Test
    void aSlowColdStartIsStartingUntilWarm() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of("FAKE_CLI_START_DELAY_MS", "1500"))) {
            assertEquals(BackendHealth.State.STARTING, cli.health().state());
            assertEquals("starting", cli.sessions().getFirst().state());

            cli.awaitUp();
            assertEquals("idle", cli.sessions().getFirst().state());
        }
    }

    @Test
    void closingStopsEveryProcess() {
        List<SessionInfo> sessions;
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "3"), Map.of()).awaitUp()) {
            CliFixture.await(() -> cli.health().detail().startsWith("3 "), WAIT, () -> "not 3 warm: " + cli.health());
            sessions = cli.sessions();
        }

        for (SessionInfo session : sessions) {
            assertFalse(ProcessHandle.of(session.pid().getAsLong()).map(ProcessHandle::isAlive).orElse(false),
                        session.id() + " still runs");
        }
        assertFalse(dir.resolve("sessions").resolve(sessions.getFirst().id()).toFile().exists());
    }

    private static void kill(SessionInfo session) {
        ProcessHandle.of(session.pid().getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
    }
}
