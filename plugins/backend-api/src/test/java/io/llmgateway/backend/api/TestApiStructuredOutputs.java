package io.llmgateway.backend.api;

import java.util.List;
import java.util.Map;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.RecordingSink;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code response_format} on the Anthropic path against the fake Messages API: native structured outputs
 * on a model that has them, the forced answer tool on one that does not, streamed and whole.
 */
final class TestApiStructuredOutputs {

    private static final JsonObject DOCUMENT = Requests.json("{\"city\":\"Oslo\",\"temperature\":3}");
    private static final String SCHEMA = """
            {"type":"json_schema","json_schema":{"name":"weather","strict":true,"schema":{"type":"object",
              "properties":{"city":{"type":"string"},"temperature":{"type":"number"}},
              "required":["city","temperature"],"additionalProperties":false}}}""";

    private FakeAnthropicApi api;
    private ApiFixture backend;

    @BeforeEach
    void start() {
        api = FakeAnthropicApi.start().replyWith(FakeAnthropicApi.structuredAnswers(DOCUMENT));
        backend = ApiFixture.start(Map.of("ANTHROPIC_API_KEY", "sk-test", "ANTHROPIC_BASE_URL", api.baseUrl()));
    }

    @AfterEach
    void stop() {
        backend.close();
        api.close();
    }

    @Test
    void aModelWithNativeStructuredOutputsGetsOutputConfig() {
        for (boolean stream : List.of(false, true)) {
            ChatCompletion answer = backend.chat(ask("claude-sonnet-4-5", SCHEMA, stream)).completion();

            assertEquals(DOCUMENT, Requests.json(answer.text()));
            assertEquals(FinishReason.STOP, answer.finishReason());
            RecordedRequest upstream = api.requests().getLast();
            assertEquals("json_schema", upstream.body().getJsonObject("output_config").getJsonObject("format")
                    .getString("type"));
            assertFalse(upstream.body().containsKey("tools"));
            assertEquals(stream, upstream.stream());
        }
    }

    @Test
    void aModelWithoutThemGetsTheForcedToolAndItsInputIsTheAnswer() {
        for (boolean stream : List.of(false, true)) {
            RecordingSink sink = backend.chat(ask("claude-sonnet-4-20250514", SCHEMA, stream));
            ChatCompletion answer = sink.completion();

            assertEquals(DOCUMENT, Requests.json(answer.text()), "the tool's input is the content");
            assertTrue(answer.toolCalls().isEmpty());
            assertEquals(FinishReason.STOP, answer.finishReason(), "not tool_calls: nothing for the client to run");
            assertTrue(sink.deltas().stream().noneMatch(ChatDelta.ToolCallFragment.class::isInstance));
            if (stream) {
                assertTrue(sink.textDeltas() > 1, "streamed as the input's fragments arrive");
            }
            JsonObject body = api.requests().getLast().body();
            assertEquals("json_answer", body.getJsonObject("tool_choice").getString("name"));
            assertEquals("number", body.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema")
                    .getJsonObject("properties").getJsonObject("temperature").getString("type"));
            assertFalse(body.containsKey("output_config"));
        }
    }

    @Test
    void jsonObjectIsAnObjectFromTheForcedTool() {
        for (boolean stream : List.of(false, true)) {
            ChatCompletion answer = backend.chat(ask("claude-sonnet", "{\"type\":\"json_object\"}", stream)).completion();

            assertEquals(DOCUMENT, Requests.json(answer.text()));
            assertEquals(FinishReason.STOP, answer.finishReason());
            assertEquals("object", api.requests().getLast().body().getJsonArray("tools").getJsonObject(0)
                    .getJsonObject("input_schema").getString("type"));
        }
    }

    @Test
    void anInvalidSchemaIsA400BeforeAnyUpstreamCall() {
        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ask("claude-sonnet",
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"object\","
                        + "\"properties\":{\"a\":{\"type\":\"text\"}}}}}", false)));

        assertEquals(400, e.status());
        assertEquals("response_format.json_schema.schema", e.param().orElseThrow());
        assertTrue(e.getMessage().contains("properties.a.type"), e.getMessage());
        assertTrue(api.requests().isEmpty());
    }

    @Test
    void theModeIsConfigurable() {
        try (ApiFixture tool = ApiFixture.start(Map.of("ANTHROPIC_API_KEY", "sk-test", "ANTHROPIC_BASE_URL", api.baseUrl(),
                                                       "LLM_API_STRUCTURED_OUTPUTS", "tool"));
             ApiFixture forced = ApiFixture.start(Map.of("ANTHROPIC_API_KEY", "sk-test", "ANTHROPIC_BASE_URL",
                                                         api.baseUrl(), "LLM_API_STRUCTURED_OUTPUTS", "native"))) {
            tool.chat(ask("claude-sonnet-4-5", SCHEMA, false));
            assertTrue(api.requests().getLast().body().containsKey("tools"));
            forced.chat(ask("claude-3-5-haiku-20241022", SCHEMA, false));
            assertTrue(api.requests().getLast().body().containsKey("output_config"));
        }
        PluginConfigurationException e = assertThrows(PluginConfigurationException.class, () -> ApiFixture.start(Map.of(
                "ANTHROPIC_API_KEY", "sk-test", "LLM_API_STRUCTURED_OUTPUTS", "sometimes")));
        assertTrue(e.getMessage().contains("auto, native or tool"), e.getMessage());
    }

    private static String ask(String model, String responseFormat, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"response_format\":" + responseFormat
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}]}";
    }
}
