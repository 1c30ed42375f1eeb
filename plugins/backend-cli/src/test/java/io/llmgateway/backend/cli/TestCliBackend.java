package io.llmgateway.backend.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.testing.TestExchange;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serving requests from warm fake CLI processes: answers, streaming, overflow and the queue,
 * conversation affinity and isolation, stop sequences, max_tokens, refusals and client disconnects.
 */
final class TestCliBackend {

    @TempDir
    Path dir;

    @Test
    void prewarmsAndServesFromAWarmSession() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2"), Map.of()).awaitUp()) {
            CliFixture.await(() -> cli.sessions().stream().filter(s -> s.state().equals("idle")).count() == 2,
                             Duration.ofSeconds(20), () -> "sessions: " + cli.sessions());

            CliFixture.Answer answer = cli.chat("Hello there");

            assertEquals("echo: Hello there [turn=1]", answer.text());
            assertTrue(answer.textDeltas() > 1, "streamed in several deltas");
            assertEquals(FinishReason.STOP, answer.completion().finishReason());
            assertTrue(answer.completion().usage().orElseThrow().completionTokens() > 0);
            assertFalse(answer.annotations().containsKey("cold_start"));
            assertTrue(answer.annotations().get("session").startsWith("cli-"));
            assertTrue(answer.annotations().containsKey("cli_turn_ms"), "the turn time goes to the log: " + answer.annotations());
            SessionInfo session = cli.sessions().stream().filter(s -> s.requests() == 1).findFirst().orElseThrow();
            assertEquals("warm", session.origin());
            assertTrue(session.pid().isPresent());
            assertEquals(1, session.turnsHeld());
        }
    }

    @Test
    void overflowSpawnsColdSessionsForConcurrentRequests() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2", "LLM_POOL_MAX_OVERFLOW", "4"), Map.of())
                .awaitUp()) {
            CliFixture.await(() -> cli.health().detail().startsWith("2 "), Duration.ofSeconds(20),
                             () -> "not 2 warm: " + cli.health());
            List<Future<CliFixture.Answer>> answers = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 5; i++) {
                    String prompt = "request " + i + " [[slow]]";
                    answers.add(clients.submit(() -> cli.chat(prompt)));
                }
                for (int i = 0; i < 5; i++) {
                    assertTrue(answers.get(i).get().text().startsWith("echo: request " + i), "answer " + i);
                }
            }

            long overflow = cli.sessions().stream().filter(s -> s.origin().equals("overflow")).count();
            assertEquals(3, overflow, "sessions: " + cli.sessions());
            // a waiting request takes whichever comes first: a warm session freeing up or its cold one
            assertTrue(cli.counter("llm_cli_cold_starts_total") >= 1);
        }
    }

    @Test
    void aFullPoolQueuesThenAnswers503WithRetryAfter() throws Exception {
        Map<String, String> settings = Map.of("LLM_POOL_QUEUE_TIMEOUT", "0.5", "LLM_CLI_RETRY_AFTER", "7");
        try (CliFixture cli = CliFixture.start(dir, settings, Map.of("FAKE_CLI_DELTA_DELAY_MS", "300")).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<CliFixture.Answer> first = clients.submit(() -> cli.chat("one two three four five"));
            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.state().equals("busy")),
                             Duration.ofSeconds(5), () -> "never busy");

            GatewayException busy = assertThrows(GatewayException.class, () -> cli.chat("second"));

            assertEquals(503, busy.status());
            assertEquals(FailureKind.OVERLOADED, busy.failureKind());
            assertEquals(Duration.ofSeconds(7), busy.retryAfter().orElseThrow());
            assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
            assertTrue(first.get().text().startsWith("echo: one two"));
        }
    }

    @Test
    void aDeadlinePassedWaitingForASessionIsTheDeploymentsLoad() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of("FAKE_CLI_DELTA_DELAY_MS", "300")).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<CliFixture.Answer> first = clients.submit(() -> cli.chat("one two three four five"));
            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.state().equals("busy")),
                             Duration.ofSeconds(5), () -> "never busy");

            GatewayException late = assertThrows(GatewayException.class, () -> cli.chat(
                    CliFixture.request("second"), Instant.now().plusMillis(500), delta -> { }));

            assertEquals(504, late.status());
            assertEquals(FailureKind.OVERLOADED, late.failureKind(), "every session was busy: no answer was slow");
            assertTrue(first.get().text().startsWith("echo: one two"));
        }
    }

    @Test
    void aQueuedRequestGetsTheNextFreeSession() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of()).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<CliFixture.Answer> first = clients.submit(() -> cli.chat("first [[slow]]"));
            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.state().equals("busy")),
                             Duration.ofSeconds(5), () -> "never busy");

            CliFixture.Answer second = cli.chat("second");

            assertTrue(first.get().text().startsWith("echo: first"));
            assertTrue(second.text().startsWith("echo: second"));
            assertEquals(1, cli.sessions().size());
        }
    }

    @Test
    void queuedRequestsWhoseClientsLeaveAreDroppedWithoutReachingTheCli() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_QUEUE_TIMEOUT", "20"), Map.of()).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            String slow = "a long slow answer of ten words or so [[slow]]"; // about 2.4 s
            Future<CliFixture.Answer> first = clients.submit(() -> cli.chat(slow));
            CliFixture.await(() -> cli.sessions().getFirst().state().equals("busy"), Duration.ofSeconds(5), () -> "never busy");
            List<TestExchange> exchanges = new ArrayList<>();
            List<Future<CliFixture.Answer>> queued = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                TestExchange exchange = new TestExchange(CliFixture.request("queued " + i), Instant.now().plusSeconds(30));
                exchanges.add(exchange);
                queued.add(clients.submit(() -> cli.chat(exchange)));
            }
            Thread.sleep(300); // all of them in the queue

            exchanges.forEach(exchange -> exchange.clientGone(true));

            for (Future<CliFixture.Answer> request : queued) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> request.get(2, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof ClientDisconnectedException, e.getCause().toString());
            }
            assertFalse(first.isDone(), "dropped while they waited, not when the session came free");
            assertTrue(first.get().text().startsWith("echo: a long slow answer"));
            assertEquals(List.of(slow), userTurns(cli), "nothing of theirs reached the CLI");
            assertEquals(40, cli.counter("llm_cli_abandoned_requests_total"));
            assertEquals(1, cli.sessions().size());
        }
    }

    @Test
    void aRequestWhoseClientIsGoneOnArrivalGetsNoSession() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_MAX_OVERFLOW", "2"), Map.of()).awaitUp();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThrows(ClientDisconnectedException.class, () -> cli.chat(
                    new TestExchange(CliFixture.request("to an idle session"), Instant.now().plusSeconds(30)).clientGone(true)));
            Future<CliFixture.Answer> busy = clients.submit(() -> cli.chat("keeps the pool busy [[slow]]"));
            CliFixture.await(() -> cli.sessions().getFirst().state().equals("busy"), Duration.ofSeconds(5), () -> "never busy");

            assertThrows(ClientDisconnectedException.class, () -> cli.chat(
                    new TestExchange(CliFixture.request("to a busy pool"), Instant.now().plusSeconds(30)).clientGone(true)));

            assertEquals(1, cli.sessions().size(), "no overflow session spawned for it: " + cli.sessions());
            busy.get();
            assertEquals(List.of("keeps the pool busy [[slow]]"), userTurns(cli));
            assertEquals(2, cli.counter("llm_cli_abandoned_requests_total"));
        }
    }

    @Test
    void aContinuedConversationSendsOnlyTheNewMessage() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of()).awaitUp()) {
            CliFixture.Answer first = cli.chat("What is 2+2?");
            List<ChatMessage> continued = List.of(ChatMessage.of(Role.USER, "What is 2+2?"),
                                                  ChatMessage.of(Role.ASSISTANT, first.text()),
                                                  ChatMessage.of(Role.USER, "And times 3?"));

            CliFixture.Answer second = cli.chat(CliFixture.request("claude-sonnet", continued, List.of(),
                                                                   OptionalInt.empty(), JsonValue.EMPTY_JSON_OBJECT));

            assertEquals("echo: And times 3? [turn=2]", second.text(), "the session kept its context");
            assertEquals("true", second.annotations().get("affinity"));
            List<String> userTurns = userTurns(cli);
            assertEquals(List.of("What is 2+2?", "And times 3?"), userTurns);
            assertEquals(1, cli.counter("llm_cli_affinity_hits_total"));
        }
    }

    @Test
    void anotherConversationStartsFromACleanContext() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of()).awaitUp()) {
            cli.chat("secret of request A");
            List<ChatMessage> otherHistory = List.of(ChatMessage.of(Role.USER, "Hi"),
                                                     ChatMessage.of(Role.ASSISTANT, "Hello!"),
                                                     ChatMessage.of(Role.USER, "How are you?"));

            CliFixture.Answer b = cli.chat(CliFixture.request("claude-sonnet", otherHistory, List.of(), OptionalInt.empty(),
                                                              JsonValue.EMPTY_JSON_OBJECT));

            assertTrue(b.text().endsWith("[turn=1]"), "a fresh context: " + b.text());
            List<String> userTurns = userTurns(cli);
            assertEquals("/clear", userTurns.get(1));
            assertTrue(userTurns.get(2).contains("<assistant>\nHello!\n</assistant>"), userTurns.get(2));
            assertFalse(userTurns.get(2).contains("secret"));
        }
    }

    @Test
    void anIdleSessionIsResetInTheBackgroundForTheNextNewConversation() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2"), Map.of()).awaitUp()) {
            CliFixture.await(() -> cli.health().detail().startsWith("2 "), Duration.ofSeconds(20),
                             () -> "not 2 warm: " + cli.health());

            cli.chat("first conversation");
            cli.chat("second conversation");

            // both sessions now hold a conversation: the older one is reset without a request waiting for it
            CliFixture.await(() -> cli.sessions().stream().anyMatch(s -> s.state().equals("idle") && s.turnsHeld() == 0)
                                     && cli.sessions().stream().anyMatch(s -> s.turnsHeld() == 1),
                             Duration.ofSeconds(5), () -> "no clean session: " + cli.sessions());
            assertTrue(cli.chat("third conversation").text().endsWith("[turn=1]"));
        }
    }

    @Test
    void aNewConversationWaitsForTheResetUnderWayRatherThanResettingAnotherSession() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2"), Map.of("FAKE_CLI_CLEAR_DELAY_MS", "300"))
                .awaitUp()) {
            CliFixture.await(() -> cli.health().detail().startsWith("2 "), Duration.ofSeconds(20),
                             () -> "not 2 warm: " + cli.health());
            CliFixture.Answer a = cli.chat("conversation A");
            cli.chat("conversation B"); // then A's session is reset in the background, for 300 ms

            // no clean session: it waits for A's reset rather than resetting B's session as well
            CliFixture.Answer c = cli.chat("conversation C");

            assertTrue(c.text().endsWith("[turn=1]"), c.text());
            assertFalse(c.annotations().containsKey("cli_reset_ms"), "C reset a session itself: " + c.annotations());
            assertEquals(a.annotations().get("session"), c.annotations().get("session"), "C was served by A's session");
        }
    }

    @Test
    void concurrencyWithinThePoolNeverStartsAColdSession() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2", "LLM_POOL_MAX_OVERFLOW", "4"), Map.of())
                .awaitUp()) {
            CliFixture.await(() -> cli.health().detail().startsWith("2 "), Duration.ofSeconds(20),
                             () -> "not 2 warm: " + cli.health());
            List<Future<?>> clients = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int client = 0; client < 2; client++) {
                    String name = "client " + client;
                    // every request a new conversation: sessions get reset in the background between them,
                    // and a request arriving during a reset waits for it rather than for a cold start
                    clients.add(threads.submit(() -> {
                        for (int i = 0; i < 15; i++) {
                            assertTrue(cli.chat(name + " request " + i).text().endsWith("[turn=1]"));
                        }
                        return null;
                    }));
                }
                for (Future<?> client : clients) {
                    client.get();
                }
            }

            assertEquals(0, cli.counter("llm_cli_cold_starts_total"), "sessions: " + cli.sessions());
            assertTrue(cli.sessions().stream().noneMatch(s -> s.origin().equals("overflow")), "sessions: " + cli.sessions());
        }
    }

    @Test
    void aDifferentSystemPromptGetsASessionOfItsOwn() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_MAX_OVERFLOW", "1"), Map.of()).awaitUp()) {
            List<ChatMessage> pirate = List.of(ChatMessage.of(Role.SYSTEM, "Talk like a pirate."),
                                               ChatMessage.of(Role.USER, "Ahoy"));

            CliFixture.Answer answer = cli.chat(CliFixture.request("claude-sonnet", pirate, List.of(), OptionalInt.empty(),
                                                                   JsonValue.EMPTY_JSON_OBJECT));

            assertEquals("true", answer.annotations().get("cold_start"));
            assertEquals(2, cli.sessions().size());
            assertEquals("echo: Hi [turn=1]", cli.chat("Hi").text(), "the warm session still serves the default prompt");
        }
    }

    @Test
    void stopSequencesCutTheAnswerAndInterruptTheTurn() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of()).awaitUp()) {
            CliFixture.Answer answer = cli.chat(CliFixture.request(
                    "claude-sonnet", List.of(ChatMessage.of(Role.USER, "alpha beta gamma delta [[slow]]")),
                    List.of("gamma"), OptionalInt.empty(), JsonValue.EMPTY_JSON_OBJECT));

            assertEquals("echo: alpha beta ", answer.text());
            assertEquals(FinishReason.STOP, answer.completion().finishReason());
            assertTrue(cli.transcript().stream().anyMatch(line -> line.contains("\"interrupt\"")));
            assertTrue(cli.chat("next").text().startsWith("echo: next"), "the session serves again");
        }
    }

    @Test
    void maxTokensCutsTheAnswerWithFinishReasonLength() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of()).awaitUp()) {
            CliFixture.Answer answer = cli.chat(CliFixture.request(
                    "claude-sonnet", List.of(ChatMessage.of(Role.USER, "[[long]] [[slow]]")), List.of(),
                    OptionalInt.of(5), JsonValue.EMPTY_JSON_OBJECT));

            assertEquals(20, answer.text().length(), answer.text());
            assertEquals(FinishReason.LENGTH, answer.completion().finishReason());
        }
    }

    @Test
    void badToolsAndFormatsAreRefusedNamingTheParam() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of())) {
            var unnamedTool = Json.createObjectBuilder().add("tools", Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("type", "function"))).build();
            var schemaless = Json.createObjectBuilder().add("response_format", Json.createObjectBuilder()
                    .add("type", "json_schema")).build();

            GatewayException badTool = assertThrows(GatewayException.class, () -> cli.chat(CliFixture.request(
                    "claude-sonnet", List.of(ChatMessage.of(Role.USER, "hi")), List.of(), OptionalInt.empty(), unnamedTool)));
            GatewayException badFormat = assertThrows(GatewayException.class, () -> cli.chat(CliFixture.request(
                    "claude-sonnet", List.of(ChatMessage.of(Role.USER, "hi")), List.of(), OptionalInt.empty(), schemaless)));

            assertEquals(400, badTool.status());
            assertEquals("tools[0]", badTool.param().orElseThrow());
            assertEquals(400, badFormat.status());
            assertEquals("response_format.json_schema", badFormat.param().orElseThrow());
        }
    }

    @Test
    void aClientThatLeavesInterruptsTheTurnAndTheSessionServesAgain() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of()).awaitUp()) {
            int[] seen = {0};
            assertThrows(ClientDisconnectedException.class, () -> cli.chat(
                    CliFixture.streamed("[[long]] [[slow]]"), Instant.now().plusSeconds(30), delta -> {
                        if (delta instanceof ChatDelta.Text && ++seen[0] == 2) {
                            throw new ClientDisconnectedException(new IOException("gone"));
                        }
                    }));

            assertTrue(cli.transcript().stream().anyMatch(line -> line.contains("\"interrupt\"")));
            CliFixture.await(() -> cli.sessions().getFirst().state().equals("idle"), Duration.ofSeconds(5),
                             () -> "not idle: " + cli.sessions());
            assertTrue(cli.chat("after").text().startsWith("echo: after"));
            assertEquals(1, cli.sessions().size(), "the same session, not a replacement");
        }
    }

    @Test
    void upstreamErrorsBecomeOpenAiErrors() {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_CLI_RETRY_AFTER", "3"),
                                               Map.of("FAKE_CLI_ERROR_ON_TURN", "1:429")).awaitUp()) {
            GatewayException limited = assertThrows(GatewayException.class, () -> cli.chat("hi"));

            assertEquals(429, limited.status());
            assertEquals(FailureKind.RATE_LIMITED, limited.failureKind(), "a rate limit, not the usage limit");
            assertTrue(limited.retryAfter().isEmpty(), "the CLI reports none, and LLM_CLI_RETRY_AFTER is not invented for it");
            assertTrue(cli.chat("again").text().startsWith("echo: again"), "the session survives an upstream error");
        }
    }

    @Test
    void garbageLinesAreIgnored() {
        try (CliFixture cli = CliFixture.start(dir, Map.of(), Map.of("FAKE_CLI_GARBAGE", "1")).awaitUp()) {
            assertEquals("echo: tolerant [turn=1]", cli.chat("tolerant").text());
        }
    }

    private static List<String> userTurns(CliFixture cli) {
        return cli.transcript().stream()
                .map(line -> Json.createReader(new StringReader(line)).readObject())
                .filter(json -> json.getString("type", "").equals("user"))
                .map(json -> json.getJsonObject("message").getString("content"))
                .toList();
    }
}
