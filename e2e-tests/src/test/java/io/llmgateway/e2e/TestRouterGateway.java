package io.llmgateway.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.FakeClaudeCli;
import io.llmgateway.testing.Reply;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router through the built distribution with the OpenAI Java SDK: retries that do not multiply with the
 * SDK's own, a failing deployment routed around under concurrent load, the CLI's usage limit answered by the api,
 * and auth before routing.
 */
final class TestRouterGateway {

    @TempDir
    Path dir;

    @Test
    void afterTheGatewayRetriedTheSdkMakesOneCallNotThree() throws Exception {
        try (FakeAnthropicApi api = FakeAnthropicApi.start().defaultReply(Reply.overloaded())) {
            try (GatewayProcess gateway = GatewayProcess.start("router-retries", apiOnly(api, "3"))) {
                OpenAIServiceException failed = assertThrows(OpenAIServiceException.class,
                                                             () -> sdk(gateway).chat().completions()
                                                                     .create(Chat.ask("claude-sonnet", "Hi")));
                assertEquals(503, failed.statusCode());
                assertEquals(List.of("false"), failed.headers().values("x-should-retry"));
                assertEquals(List.of("3"), failed.headers().values("x-llm-attempts"));
                assertEquals(3, api.requestCount(), "three attempts by the gateway, one call by the SDK");
                assertEquals(1, chatLines(gateway, 1).size(), "one request reached the gateway");
            }
            long before = api.requestCount();
            try (GatewayProcess gateway = GatewayProcess.start("router-one-attempt", apiOnly(api, "1"))) {
                OpenAIServiceException failed = assertThrows(OpenAIServiceException.class,
                                                             () -> sdk(gateway).chat().completions()
                                                                     .create(Chat.ask("claude-sonnet", "Hi")));
                assertEquals(List.of(), failed.headers().values("x-should-retry"), "one attempt: the SDK decides");
                assertEquals(3, api.requestCount() - before, "the SDK's own three attempts, one upstream call each");
                assertEquals(3, chatLines(gateway, 3).size());
            }
        }
    }

    @Test
    void concurrentCallsWhileOneOfTwoDeploymentsFailsAllSucceed() throws Exception {
        try (FakeAnthropicApi failing = FakeAnthropicApi.start().defaultReply(Reply.apiError());
             FakeAnthropicApi healthy = FakeAnthropicApi.start()) {
            Path config = Files.writeString(dir.resolve("gw.yaml"), """
                    deployments:
                      - {name: api-a, type: api, settings: {anthropic_api_key: "${KEY_A}", anthropic_base_url: "%s"}}
                      - {name: api-b, type: api, settings: {anthropic_api_key: "${KEY_B}", anthropic_base_url: "%s"}}
                    models:
                      - name: team-sonnet
                        strategy: least_in_flight
                        deployments: [{use: api-a, model: claude-sonnet-4-5}, {use: api-b, model: claude-sonnet-4-5}]
                    """.formatted(failing.baseUrl(), healthy.baseUrl()));
            try (GatewayProcess gateway = GatewayProcess.start("router-two-deployments", Map.of(
                    "LLM_CONFIG", config.toString(), "KEY_A", "sk-ant-key-a-123456", "KEY_B", "sk-ant-key-b-654321"))) {
                OpenAIClient client = gateway.client();
                try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
                    List<Future<String>> calls = new ArrayList<>();
                    for (int i = 0; i < 64; i++) {
                        calls.add(threads.submit(() -> Chat.content(client.chat().completions()
                                                                            .create(Chat.ask("team-sonnet", "Hi")))));
                    }
                    for (Future<String> call : calls) {
                        assertEquals(FakeAnthropicApi.DEFAULT_REPLY.text(), call.get(60, TimeUnit.SECONDS));
                    }
                }
                assertTrue(failing.requestCount() <= 16 + 5, "a few attempts before its breaker opened: "
                        + failing.requestCount());
                assertEquals(64, healthy.requestCount());
                JsonObject a = deployment(gateway.getJson("/health"), "api-a");
                assertEquals("open", a.getJsonArray("breakers").getJsonObject(0).getString("state"), a.toString());
                assertFalse(gateway.getJson("/health").toString().contains("sk-ant-key"), "no secret in /health");
                assertFalse(gateway.stderr().contains("sk-ant-key-a-123456"), "no secret in the log");
            }
        }
    }

    @Test
    void theCliAtItsUsageLimitFallsBackToTheApiAndLeaksNoLimitText() throws Exception {
        long resetsAt = Instant.now().getEpochSecond() + 3600;
        Path fakeCli = FakeClaudeCli.launcher(dir.resolve("fake"), Map.of("FAKE_CLI_USAGE_LIMIT", "1:" + resetsAt));
        try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
            Path config = Files.writeString(dir.resolve("gw.yaml"), """
                    deployments:
                      - {name: subscription, type: cli, settings: {command: "%s", pool_size: 1, work_dir: "%s"}}
                      - {name: anthropic, type: api, settings: {anthropic_api_key: sk-ant-test, anthropic_base_url: "%s"}}
                    models:
                      - name: claude-sonnet
                        deployments: [{use: subscription, priority: 0}, {use: anthropic, priority: 1}]
                    """.formatted(fakeCli, dir.resolve("sessions"), api.baseUrl()));
            try (GatewayProcess gateway = GatewayProcess.start("router-usage-limit",
                                                               Map.of("LLM_CONFIG", config.toString()))) {
                var first = gateway.client().chat().completions().withRawResponse()
                        .create(Chat.ask("claude-sonnet", "Hi"));
                ChatCompletion answer = first.parse();
                assertEquals(FakeAnthropicApi.DEFAULT_REPLY.text(), Chat.content(answer));
                assertEquals(List.of("anthropic"), first.headers().values("x-llm-deployment"));
                assertEquals(List.of("2"), first.headers().values("x-llm-attempts"));

                StringBuilder streamed = new StringBuilder();
                try (StreamResponse<ChatCompletionChunk> stream = gateway.client().chat().completions()
                        .createStreaming(Chat.ask("claude-sonnet", "Again"))) {
                    stream.stream().forEach(chunk -> chunk.choices().forEach(
                            choice -> choice.delta().content().ifPresent(streamed::append)));
                }
                assertEquals(FakeAnthropicApi.DEFAULT_REPLY.text(), streamed.toString());
                assertFalse(streamed.toString().contains("limit"));

                JsonObject cli = deployment(gateway.getJson("/health"), "subscription");
                JsonObject breaker = cli.getJsonArray("breakers").getJsonObject(0);
                assertEquals("open", breaker.getString("state"), cli.toString());
                assertTrue(Instant.parse(breaker.getString("open_until")).getEpochSecond() >= resetsAt - 1, cli.toString());
                assertTrue(breaker.getString("reason").startsWith("quota_exhausted"), cli.toString());
                assertEquals(2, api.requestCount());
            }
        }
    }

    @Test
    void authComesBeforeRoutingSoAnUnknownModelWithoutAKeyIs401() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start("router-auth", Map.of("LLM_API_KEYS", "sk-team-1:team"))) {
            OpenAIClient anonymous = OpenAIOkHttpClient.builder().baseUrl(gateway.uri("/v1").toString())
                    .apiKey("sk-wrong").maxRetries(0).build();
            assertEquals(401, assertThrows(OpenAIServiceException.class, () -> anonymous.chat().completions()
                    .create(Chat.ask("no-such-model", "Hi"))).statusCode());
            OpenAIClient team = OpenAIOkHttpClient.builder().baseUrl(gateway.uri("/v1").toString())
                    .apiKey("sk-team-1").maxRetries(0).build();
            assertEquals(404, assertThrows(OpenAIServiceException.class, () -> team.chat().completions()
                    .create(Chat.ask("no-such-model", "Hi"))).statusCode());
        }
    }

    private static Map<String, String> apiOnly(FakeAnthropicApi api, String attempts) {
        return Map.of("LLM_BACKEND", "api", "ANTHROPIC_API_KEY", "sk-ant-test", "ANTHROPIC_BASE_URL", api.baseUrl(),
                      "LLM_MAX_ATTEMPTS", attempts);
    }

    /** A client as applications build it: the SDK's default of two retries. */
    private static OpenAIClient sdk(GatewayProcess gateway) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.uri("/v1").toString()).apiKey("unused")
                .timeout(Duration.ofSeconds(60)).build();
    }

    /** The request log's lines, once at least {@code expected} are there (they are written just after the answer). */
    private static List<String> chatLines(GatewayProcess gateway, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        List<String> lines = List.of();
        while (Instant.now().isBefore(deadline)) {
            lines = gateway.stdoutLines().stream().filter(line -> line.contains("\"request_id\"")).toList();
            if (lines.size() >= expected) {
                Thread.sleep(300); // and no more come
                return gateway.stdoutLines().stream().filter(line -> line.contains("\"request_id\"")).toList();
            }
            Thread.sleep(50);
        }
        return lines;
    }

    private static JsonObject deployment(JsonObject health, String name) {
        for (JsonValue value : health.getJsonArray("backends")) {
            JsonObject deployment = value.asJsonObject();
            if (deployment.getString("name").equals(name)) {
                return deployment;
            }
        }
        throw new AssertionError("no deployment " + name + " in " + health);
    }
}
