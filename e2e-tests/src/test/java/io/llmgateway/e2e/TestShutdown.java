package io.llmgateway.e2e;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RawHttpConnection;
import io.llmgateway.testing.Reply;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM as Kubernetes sends it, with requests in flight: readiness turns 503 at once, requests that can
 * finish within the grace finish (a stream to its {@code [DONE]}), those that cannot get an error in the
 * shape of their answer and a log line, and the process exits within its time.
 */
final class TestShutdown {

    private static final Duration READ = Duration.ofSeconds(20);

    @Test
    void requestsInFlightFinishWhileReadinessSaysDown() throws Exception {
        try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
            api.replyWith(request -> Reply.text("one ", "two ", "three ", "four ", "five ", "six")
                    .withGap(Duration.ofMillis(300)));
            GatewayProcess gateway = GatewayProcess.start("shutdown-drain", apiSettings(api, "1", "10"));
            try {
                CompletableFuture<RawHttpConnection.Response> stream = chat(gateway, "drain-stream", true);
                CompletableFuture<RawHttpConnection.Response> json = chat(gateway, "drain-json", false);
                Thread.sleep(400);
                long signalled = System.nanoTime();
                gateway.terminate();
                awaitStatus(gateway, "/health/ready", 503, Duration.ofMillis(900));
                assertTrue(since(signalled).compareTo(Duration.ofSeconds(1)) < 0, "readiness 503 after " + since(signalled));

                RawHttpConnection.Response streamed = stream.get();
                assertEquals(200, streamed.status());
                assertTrue(streamed.body().contains("data: [DONE]"), streamed.body());
                RawHttpConnection.Response whole = json.get();
                assertEquals(200, whole.status(), whole.body());
                assertTrue(whole.body().contains("one two three four five six"), whole.body());
                assertTrue(gateway.awaitExit(Duration.ofSeconds(15)), "still running after the drain");
                List<String> lines = gateway.stdoutLines();
                assertTrue(lines.stream().anyMatch(l -> l.contains("\"drain-stream\"") && l.contains("\"status\":200")),
                           String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(l -> l.contains("\"drain-json\"") && l.contains("\"status\":200")));
            } finally {
                gateway.close();
            }
        }
    }

    @Test
    void requestsPastTheGraceAreAnsweredWithAnErrorAndLogged() throws Exception {
        try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
            api.replyWith(request -> request.lastUserText().contains("json")
                    ? Reply.hang()
                    : Reply.text("first ", "never").withGap(Duration.ofSeconds(60)));
            GatewayProcess gateway = GatewayProcess.start("shutdown-grace", apiSettings(api, "0", "1"));
            try {
                CompletableFuture<RawHttpConnection.Response> stream = chat(gateway, "cut-stream", true);
                CompletableFuture<RawHttpConnection.Response> json = chat(gateway, "cut-json", false);
                Thread.sleep(500);
                long signalled = System.nanoTime();
                gateway.terminate();

                RawHttpConnection.Response streamed = stream.get();
                assertEquals(200, streamed.status());
                assertTrue(streamed.body().contains("first"), streamed.body());
                assertTrue(streamed.body().contains("\"error\""), streamed.body());
                assertFalse(streamed.body().contains("[DONE]"), streamed.body());
                RawHttpConnection.Response whole = json.get();
                assertEquals(503, whole.status(), whole.body());
                assertTrue(gateway.awaitExit(Duration.ofSeconds(10)), "still running after the grace");
                assertTrue(since(signalled).compareTo(Duration.ofSeconds(8)) < 0, "exit took " + since(signalled));
                List<String> lines = gateway.stdoutLines();
                assertTrue(lines.stream().anyMatch(l -> l.contains("\"cut-stream\"") && l.contains("\"status\":503")),
                           String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(l -> l.contains("\"cut-json\"") && l.contains("\"status\":503")));
            } finally {
                gateway.close();
            }
        }
    }

    private static Map<String, String> apiSettings(FakeAnthropicApi api, String delay, String grace) {
        return Map.of("LLM_BACKEND", "api",
                      "ANTHROPIC_API_KEY", "sk-ant-test",
                      "ANTHROPIC_BASE_URL", api.baseUrl(),
                      "LLM_MAX_ATTEMPTS", "1",
                      "LLM_SHUTDOWN_DELAY", delay,
                      "LLM_SHUTDOWN_GRACE", grace);
    }

    /** Sends the request now, on its own connection, and reads the answer on a thread of its own. */
    private static CompletableFuture<RawHttpConnection.Response> chat(GatewayProcess gateway, String requestId,
                                                                     boolean stream) {
        String body = "{\"model\":\"claude-sonnet\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + requestId + "\"}]}";
        RawHttpConnection connection = RawHttpConnection.open(gateway.port());
        connection.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "X-Request-Id: " + requestId + "\r\nContent-Length: " + body.length() + "\r\n\r\n"
                                + body);
        CompletableFuture<RawHttpConnection.Response> answer = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (connection) {
                answer.complete(connection.read(READ));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private static void awaitStatus(GatewayProcess gateway, String path, int wanted, Duration within) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        int status = -1;
        while (System.nanoTime() < until) {
            HttpURLConnection connection = (HttpURLConnection) gateway.uri(path).toURL().openConnection();
            try {
                status = connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
            if (status == wanted) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " answered " + status + ", not " + wanted + ", within " + within);
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
