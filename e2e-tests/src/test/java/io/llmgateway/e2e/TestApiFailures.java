package io.llmgateway.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.Reply;

import com.openai.errors.InternalServerException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Upstream failures as a client of the built distribution sees them: in words, with the right status and
 * type, over plain HTTP and in the middle of a stream, while the gateway's stderr gets the exception on one
 * line. Behind the gateway: a fake Anthropic API that misbehaves on demand and an OpenAI-compatible upstream
 * whose port is closed.
 */
final class TestApiFailures {

    private static FakeAnthropicApi anthropic;
    private static int closedPort;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        anthropic = FakeAnthropicApi.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gateway = GatewayProcess.start("api-failures", Map.of(
                "LLM_BACKEND", "api",
                "ANTHROPIC_API_KEY", "sk-ant-test",
                "ANTHROPIC_BASE_URL", anthropic.baseUrl(),
                "LLM_OPENAI_BASE_URL", "http://127.0.0.1:" + closedPort,
                "LLM_OPENAI_MODELS", "local-model",
                "LLM_MAX_ATTEMPTS", "1",
                "LLM_BREAKER_FAILURES", "0",
                "LLM_REQUEST_TIMEOUT", "2"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        anthropic.close();
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsA502InWordsAndOneLogLine() throws Exception {
        anthropic.enqueue(Reply.drop(), Reply.drop());
        String ask = "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        InternalServerException sdk = assertThrows(InternalServerException.class, () -> gateway.client().chat()
                .completions().create(Chat.ask("claude-sonnet", "Hi")));
        Answer raw = post(ask);

        assertEquals(502, sdk.statusCode());
        assertEquals(List.of(), sdk.headers().values("x-should-retry"), "the SDK's own retry rules apply");
        assertEquals(502, raw.status());
        JsonObject error = errorOf(raw.body());
        assertEquals("Anthropic closed the connection without answering", error.getString("message"));
        assertEquals("api_error", error.getString("type"));
        assertEquals("bad_gateway", error.getString("code"));
        List<String> logged = awaitStderrLines("Anthropic closed the connection without answering");
        assertTrue(logged.getFirst().contains("WARNING") && logged.getFirst().contains("InsufficientDataAvailableException"),
                   logged::toString);
    }

    @Test
    void aRefusedConnectionNamesTheUpstream() throws Exception {
        Answer answer = post("{\"model\":\"local-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertEquals(502, answer.status());
        assertEquals("Cannot reach the upstream at http://127.0.0.1:" + closedPort + ": connection refused",
                     errorOf(answer.body()).getString("message"));
        assertTrue(awaitStderrLines("connection refused").getFirst().contains("java.net.ConnectException"));
    }

    @Test
    void aStreamCutMidwayEndsWithAnErrorEventThatSaysHowFarItGot() throws Exception {
        anthropic.enqueue(Reply.cut("partial ", "answer"));

        Answer answer = post("{\"model\":\"claude-sonnet\",\"stream\":true,"
                                     + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertEquals(200, answer.status(), "the stream had started");
        List<String> events = answer.body().lines().filter(line -> line.startsWith("data: ")).toList();
        assertTrue(events.stream().anyMatch(line -> line.contains("partial ")), events::toString);
        JsonObject error = errorOf(events.getLast().substring("data: ".length()));
        assertEquals("The connection to Anthropic closed after 4 events of the stream, before its end",
                     error.getString("message"));
        assertEquals("api_error", error.getString("type"));
        assertFalse(answer.body().contains("[DONE]"), "a broken stream does not pretend to be complete");
    }

    @Test
    void anUpstreamThatNeverAnswersIsA504() throws Exception {
        anthropic.enqueue(Reply.hang());

        Answer answer = post("{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertEquals(504, answer.status());
        JsonObject error = errorOf(answer.body());
        assertEquals("Anthropic did not answer within the request timeout (LLM_REQUEST_TIMEOUT)",
                     error.getString("message"));
        assertEquals("timeout_error", error.getString("type"));
    }

    @Test
    void noClientMessageCarriesAnExceptionsNameOrTheKey() throws Exception {
        anthropic.enqueue(Reply.cut(), Reply.malformed());
        String ask = "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        for (Answer answer : List.of(post(ask), post(ask))) {
            String message = errorOf(answer.body()).getString("message");
            assertEquals(502, answer.status(), message);
            assertFalse(message.matches(".*(Exception|io\\.helidon|java\\.|sk-ant-test).*"), message);
        }
    }

    private static List<String> awaitStderrLines(String text) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> lines = gateway.stderr().lines().filter(line -> line.contains(text)).toList();
            if (!lines.isEmpty()) {
                return lines;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("stderr has no line with '" + text + "':\n" + gateway.stderr());
    }

    private static JsonObject errorOf(String json) {
        return Json.createReader(new StringReader(json)).readObject().getJsonObject("error");
    }

    private static Answer post(String json) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) gateway.uri("/v1/chat/completions").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("content-type", "application/json");
        connection.setReadTimeout(10_000);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Answer(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            connection.disconnect();
        }
    }

    /** A status and the whole body. */
    private record Answer(int status, String body) {
    }
}
