package io.llmgateway.e2e;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The Node client scripts of {@link TestNodeClients} against the api backend: the built distribution with
 * {@code LLM_BACKEND=api} in front of the fake Anthropic API playing a model
 * ({@link FakeAnthropicApi#answersLikeAModel()}), so only the checks every backend must pass run. Twice
 * each: on a model with native structured outputs ({@code output_config.format}) and on an older one that
 * gets the forced {@code json_answer} tool.
 */
final class TestNodeClientsApi {

    /** The alias of a Claude 5.5 id: native structured outputs. */
    private static final String NATIVE_MODEL = "claude-sonnet";
    /** Claude 4: structured outputs through the forced answer tool. */
    private static final String TOOL_MODEL = "claude-sonnet-4-20250514";

    private static FakeAnthropicApi anthropic;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        NodeClients.installed();
        anthropic = FakeAnthropicApi.start().replyWith(FakeAnthropicApi.answersLikeAModel());
        gateway = GatewayProcess.start("node-clients-api", Map.of(
                "LLM_BACKEND", "api",
                "ANTHROPIC_API_KEY", "sk-ant-test",
                "ANTHROPIC_BASE_URL", anthropic.baseUrl(),
                "LLM_MAX_ATTEMPTS", "1"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (anthropic != null) {
            anthropic.close();
        }
    }

    static Stream<Arguments> runs() {
        return Stream.of("openai-sdk.mjs", "vercel-ai.mjs", "langchain.mjs")
                .flatMap(script -> Stream.of(arguments(script, NATIVE_MODEL), arguments(script, TOOL_MODEL)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("runs")
    void passesEveryCase(String script, String model) throws Exception {
        anthropic.clearRecorded();

        NodeClients.Ran ran = NodeClients.run(script, gateway.uri("/v1").toString(), model, "api",
                                              "node-api-" + model + "-" + script.replace(".mjs", ""));

        assertEquals(0, ran.status(), () -> script + " on " + model + " failed:\n" + ran.output());
        List<JsonObject> upstream = anthropic.requests().stream().map(RecordedRequest::body).toList();
        assertTrue(upstream.stream().anyMatch(TestNodeClientsApi::answersToolResults),
                   "a tool result went back upstream: the round trip ran through the api backend");
        // every script has structured-output cases: native ones only on the native model (which also gets the
        // answer tool for a schema constrained decoding cannot express, a tuple), the answer tool on the other
        boolean nativeFormat = upstream.stream().anyMatch(body -> body.containsKey("output_config"));
        assertEquals(model.equals(NATIVE_MODEL), nativeFormat, "native structured outputs only on " + NATIVE_MODEL);
        if (model.equals(TOOL_MODEL)) {
            assertTrue(upstream.stream().anyMatch(TestNodeClientsApi::hasAnswerTool), "the answer tool on " + TOOL_MODEL);
        }
    }

    private static boolean answersToolResults(JsonObject body) {
        JsonArray messages = body.getJsonArray("messages");
        return messages.getJsonObject(messages.size() - 1).get("content") instanceof JsonArray blocks
                && blocks.stream().anyMatch(block -> block instanceof JsonObject object
                        && "tool_result".equals(object.getString("type", "")));
    }

    private static boolean hasAnswerTool(JsonObject body) {
        return body.getOrDefault("tools", JsonValue.EMPTY_JSON_ARRAY) instanceof JsonArray tools
                && tools.stream().anyMatch(tool -> tool instanceof JsonObject object
                        && object.getString("name", "").startsWith("json_answer"));
    }
}
