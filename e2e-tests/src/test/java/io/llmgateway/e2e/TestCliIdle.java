package io.llmgateway.e2e;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.Reply;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cli gateway left alone for longer than the JDK keeps spare carrier threads (30 s) must still answer
 * at once: the sessions' pipe readers must not hold the carriers the HTTP handlers run on. One gateway
 * with only its warm pool, one that also holds overflow sessions, both idle at the same time.
 */
final class TestCliIdle {

    private static final Duration IDLE = Duration.ofSeconds(40);
    private static final String SLOW = "[slow]";

    @Test
    void answersInMillisecondsAfterFortySecondsIdle() throws Exception {
        try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
            api.replyWith(request -> request.lastUserText().contains(SLOW)
                    ? Reply.text("one ", "two ", "three").withGap(Duration.ofMillis(300))
                    : null);
            // the default keep-alive interval (300 s): nothing pings the sessions while the gateways idle
            try (GatewayProcess warmOnly = GatewayProcess.start("cli-idle", RealClaude.gatewaySettings(api, Map.of()));
                 GatewayProcess withOverflow = GatewayProcess.start("cli-idle-overflow", RealClaude.gatewaySettings(
                         api, Map.of("LLM_POOL_MAX_OVERFLOW", "3")))) {
                fourAtOnce(withOverflow);
                assertTrue(Sessions.of(withOverflow).stream().anyMatch(s -> s.getString("origin").equals("overflow")),
                           Sessions.of(withOverflow).toString());

                Thread.sleep(IDLE.toMillis());

                for (GatewayProcess gateway : List.of(warmOnly, withOverflow)) {
                    assertFast(gateway, "/health/live", Duration.ofSeconds(1));
                    long started = System.nanoTime();
                    assertEquals("Hello from the fake Anthropic API.", Chat.content(gateway.client().chat().completions()
                            .create(Chat.ask("claude-sonnet", "still there?"))));
                    Duration took = Duration.ofNanos(System.nanoTime() - started);
                    assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "a warm turn after idling took " + took);
                }
            }
        }
    }

    /** Four slow requests on a pool of two: two of them get overflow sessions. */
    private static void fourAtOnce(GatewayProcess gateway) throws Exception {
        List<Future<?>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                String prompt = "busy " + i + " " + SLOW;
                answers.add(clients.submit(() -> gateway.client().chat().completions().create(Chat.ask("claude-sonnet", prompt))));
            }
            for (Future<?> answer : answers) {
                answer.get();
            }
        }
    }

    private static void assertFast(GatewayProcess gateway, String path, Duration limit) throws IOException {
        long started = System.nanoTime();
        HttpURLConnection connection = (HttpURLConnection) gateway.uri(path).toURL().openConnection();
        connection.setConnectTimeout((int) limit.toMillis());
        connection.setReadTimeout((int) limit.toMillis());
        try {
            assertEquals(200, connection.getResponseCode());
        } finally {
            connection.disconnect();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(limit) < 0, path + " took " + took);
    }
}
