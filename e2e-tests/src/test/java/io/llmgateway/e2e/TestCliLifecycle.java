package io.llmgateway.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.Reply;

import com.openai.errors.OpenAIServiceException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cli backend's life around requests, each test with a gateway of its own: a request that times
 * out, a CLI that is not installed, and a shutdown that must leave no process behind.
 */
final class TestCliLifecycle {

    private FakeAnthropicApi api;

    @BeforeEach
    void startApi() {
        api = FakeAnthropicApi.start();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void aRequestPastTheTimeoutIs504AndTheSessionRecovers() throws Exception {
        api.replyWith(request -> request.lastUserText().contains("[hang]") ? Reply.hang() : null);
        try (GatewayProcess gateway = GatewayProcess.start("cli-timeout", RealClaude.gatewaySettings(
                api, Map.of("LLM_POOL_SIZE", "1", "LLM_POOL_MAX_OVERFLOW", "0", "LLM_REQUEST_TIMEOUT", "2")))) {
            long started = System.nanoTime();
            OpenAIServiceException e = assertThrows(OpenAIServiceException.class, () -> gateway.client().chat()
                    .completions().create(Chat.ask("claude-sonnet", "never answered [hang]")));

            assertEquals(504, e.statusCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
            assertEquals("Hello from the fake Anthropic API.", Chat.content(gateway.client().chat().completions()
                    .create(Chat.ask("claude-sonnet", "and now?"))));
        }
    }

    @Test
    void aMissingCliIsReportedAndAnswered503() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.startLive("cli-missing", RealClaude.gatewaySettings(
                api, Map.of("LLM_CLI_COMMAND", "/nonexistent/claude", "LLM_BACKENDS", "mock")))) {
            JsonObject health = gateway.getJson("/health");
            JsonObject ready = gateway.getJson("/health/ready");

            assertEquals("DOWN", health.getString("status"));
            assertEquals("DOWN", ready.getString("status"));
            assertTrue(ready.getString("detail").contains("npm install -g @anthropic-ai/claude-code"), ready.toString());
            OpenAIServiceException e = assertThrows(OpenAIServiceException.class, () -> gateway.client().chat()
                    .completions().create(Chat.ask("claude-sonnet", "hi")));
            assertEquals(503, e.statusCode());
            List<String> lines = gateway.stderr().lines().filter(line -> line.contains("/nonexistent/claude")).toList();
            assertEquals(1, lines.size(), gateway.stderr());
            assertTrue(lines.getFirst().contains("LLM_BACKEND=mock"), lines.getFirst());
        }
    }

    @Test
    void shutdownLeavesNoClaudeProcess() throws Exception {
        List<Long> pids;
        try (GatewayProcess gateway = GatewayProcess.start("cli-shutdown", RealClaude.gatewaySettings(
                api, Map.of("LLM_POOL_SIZE", "3")))) {
            gateway.client().chat().completions().create(Chat.ask("claude-sonnet", "one request"));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Sessions.idleWarm(gateway) < 3 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            pids = Sessions.of(gateway).stream()
                    .map(session -> session.getJsonNumber("pid").longValue())
                    .toList();
            assertEquals(3, pids.size());
        }

        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "claude process " + pid + " survived");
        }
    }
}
