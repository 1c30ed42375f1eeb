package io.llmgateway.backend.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.Role;
import io.llmgateway.api.SessionInfo;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pool that loses sessions while clients continue their conversations must come back to full strength and
 * full affinity, and forget its failed sessions after the listing period: a short soak with the fake CLI.
 */
final class TestPoolRecovery {

    private static final int CLIENTS = 4;
    private static final Duration FAILED_LISTED = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void sessionsKilledDuringConversationsAreMadeUpForAndAffinityReturns() throws Exception {
        try (CliFixture cli = CliFixture.start(dir, Map.of("LLM_POOL_SIZE", "2", "LLM_POOL_MAX_OVERFLOW", "4"),
                                               Map.of("FAKE_CLI_REPLY", "ok fine", "FAKE_CLI_DELTA_DELAY_MS", "40"),
                                               FAILED_LISTED).awaitUp()) {
            CliFixture.await(() -> cli.health().detail().startsWith("2 "), Duration.ofSeconds(20), () -> "not 2 warm");
            AtomicBoolean stop = new AtomicBoolean();
            List<Turn> turns = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Future<?>> clients = new ArrayList<>();
            Set<String> killed = ConcurrentHashMap.newKeySet();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < CLIENTS; c++) {
                    String client = "client " + c;
                    clients.add(threads.submit(() -> converse(cli, client, stop, turns)));
                }
                Thread.sleep(3000);

                for (int kill = 0; kill < 5; kill++) {
                    // overflow sessions and warm ones, busy or idle, whichever is listed first
                    String origin = kill % 2 == 0 ? "overflow" : "warm";
                    SessionInfo victim = cli.sessions().stream()
                            .filter(s -> s.origin().equals(origin) && s.pid().isPresent()
                                    && (s.state().equals("busy") || s.state().equals("idle")))
                            .findFirst().orElseThrow(() -> new AssertionError("no live " + origin + ": " + cli.sessions()));
                    ProcessHandle.of(victim.pid().getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
                    killed.add(victim.id());
                    Thread.sleep(1500);
                }
                long lastKill = System.nanoTime();

                Thread.sleep(4000); // time to make up for the losses
                long recovered = System.nanoTime();
                Thread.sleep(3000);
                stop.set(true);
                for (Future<?> client : clients) {
                    client.get();
                }

                List<Turn> before = turns.stream().filter(t -> t.continued() && t.at() < lastKill - 7_500_000_000L).toList();
                List<Turn> after = turns.stream().filter(t -> t.continued() && t.at() > recovered).toList();
                assertTrue(after.size() > 50, "clients kept talking: " + after.size());
                double hitsAfter = after.stream().filter(Turn::affinity).count() / (double) after.size();
                assertTrue(hitsAfter >= 0.95, String.format("affinity after the kills: %.0f%% of %d continued turns"
                        + " (before: %.0f%% of %d); sessions %s", 100 * hitsAfter, after.size(),
                        100.0 * before.stream().filter(Turn::affinity).count() / before.size(), before.size(), cli.sessions()));
                List<SessionInfo> live = cli.sessions().stream().filter(s -> s.state().equals("idle") || s.state().equals("busy")).toList();
                assertEquals(2, live.stream().filter(s -> s.origin().equals("warm")).count(), "warm pool back: " + live);
                assertTrue(live.size() >= CLIENTS, "a session for every conversation: " + live);
            }

            CliFixture.await(() -> cli.sessions().stream().noneMatch(s -> killed.contains(s.id())),
                             FAILED_LISTED.plusSeconds(3), () -> "failed sessions still listed: " + cli.sessions());
            assertTrue(cli.sessions().stream().noneMatch(s -> s.state().equals("failed")), cli.sessions().toString());
        }
    }

    /** One client continuing its conversation, each turn sending the whole history, until told to stop. */
    private static Void converse(CliFixture cli, String client, AtomicBoolean stop, List<Turn> turns) throws Exception {
        List<ChatMessage> messages = new ArrayList<>();
        for (int n = 0; !stop.get(); n++) {
            messages.add(ChatMessage.of(Role.USER, client + " says " + n));
            CliFixture.Answer answer = cli.chat(CliFixture.request("claude-sonnet", messages, List.of(), OptionalInt.empty(),
                                                                   JsonValue.EMPTY_JSON_OBJECT));
            turns.add(new Turn(System.nanoTime(), messages.size() > 1, "true".equals(answer.annotations().get("affinity"))));
            messages.add(ChatMessage.of(Role.ASSISTANT, answer.text()));
            Thread.sleep(5);
        }
        return null;
    }

    /** One answered request: when, whether it continued a conversation, and whether it was served with affinity. */
    private record Turn(long at, boolean continued, boolean affinity) {
    }
}
