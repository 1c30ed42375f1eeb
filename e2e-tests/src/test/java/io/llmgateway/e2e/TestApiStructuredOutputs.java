package io.llmgateway.e2e;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Structured outputs on the api backend end to end: the built distribution in front of the fake Anthropic
 * Messages API, the OpenAI Java SDK's structured-output helper and its {@code ResponseFormatJsonSchema} as
 * clients; native structured outputs on a Claude 4.5+ model, the forced answer tool on an older one.
 */
final class TestApiStructuredOutputs {

    private static final JsonObject DOCUMENT = Json.createObjectBuilder().add("city", "Oslo").add("temperature", 3.5)
            .build();
    /** A model the gateway sends native structured outputs (the alias is a Claude 5.5 id). */
    private static final String NATIVE_MODEL = "claude-sonnet";
    /** A model the gateway sends the forced tool. */
    private static final String TOOL_MODEL = "claude-sonnet-4-20250514";

    private static FakeAnthropicApi anthropic;
    private static GatewayProcess gateway;

    /** What the SDK's helper derives the schema from and parses the answer into. */
    public static final class Weather {
        public String city;
        public double temperature;
    }

    @BeforeAll
    static void start() throws Exception {
        anthropic = FakeAnthropicApi.start().replyWith(FakeAnthropicApi.structuredAnswers(DOCUMENT));
        gateway = GatewayProcess.start("api-structured", Map.of(
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
        anthropic.close();
    }

    @BeforeEach
    void forget() {
        anthropic.clearRecorded();
    }

    @Test
    void theSdksStructuredOutputHelperOnBothPaths() {
        for (String model : List.of(NATIVE_MODEL, TOOL_MODEL)) {
            StructuredChatCompletion<Weather> answer = gateway.client().chat().completions().create(
                    ChatCompletionCreateParams.builder().model(model).addUserMessage("Weather in Oslo?")
                            .responseFormat(Weather.class).build());

            Weather weather = answer.choices().getFirst().message().content().orElseThrow();
            assertEquals("Oslo", weather.city);
            assertEquals(3.5, weather.temperature);
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, answer.choices().getFirst().finishReason());
        }
        List<RecordedRequest> upstream = anthropic.requests();
        JsonObject nativeFormat = upstream.get(0).body().getJsonObject("output_config").getJsonObject("format");
        assertEquals("json_schema", nativeFormat.getString("type"));
        assertEquals(List.of("city", "temperature"), nativeFormat.getJsonObject("schema").getJsonArray("required")
                .getValuesAs(jakarta.json.JsonString::getString).stream().sorted().toList());
        JsonObject forced = upstream.get(1).body();
        assertFalse(forced.containsKey("output_config"));
        assertEquals("tool", forced.getJsonObject("tool_choice").getString("type"));
    }

    @Test
    void aStreamedJsonSchemaAnswerIsTextDeltas() {
        for (String model : List.of(NATIVE_MODEL, TOOL_MODEL)) {
            ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
            long contentChunks;
            try (StreamResponse<ChatCompletionChunk> stream = gateway.client().chat().completions().createStreaming(
                    ChatCompletionCreateParams.builder().model(model).addUserMessage("Weather in Oslo?")
                            .responseFormat(weatherSchema()).build())) {
                contentChunks = stream.stream().peek(accumulator::accumulate)
                        .filter(chunk -> !chunk.choices().isEmpty() && chunk.choices().getFirst().delta().content()
                                .filter(text -> !text.isEmpty()).isPresent())
                        .count();
            }

            ChatCompletion whole = accumulator.chatCompletion();
            assertEquals(DOCUMENT, Json.createReader(new StringReader(Chat.content(whole))).readObject(), model);
            assertTrue(contentChunks > 1, model + ": the document streams in pieces");
            assertTrue(whole.choices().getFirst().message().toolCalls().orElse(List.of()).isEmpty(), model);
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, whole.choices().getFirst().finishReason());
        }
    }

    @Test
    void jsonObjectAnswersAnObject() {
        ChatCompletion answer = gateway.client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model(NATIVE_MODEL).addUserMessage("Weather in Oslo, as JSON")
                .responseFormat(ResponseFormatJsonObject.builder().build()).build());

        assertEquals(DOCUMENT, Json.createReader(new StringReader(Chat.content(answer))).readObject());
        assertEquals("object", anthropic.requests().getFirst().body().getJsonArray("tools").getJsonObject(0)
                .getJsonObject("input_schema").getString("type"));
    }

    @Test
    void aSchemaTheUpstreamCannotTakeIsABadRequest() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> gateway.client().chat().completions()
                .create(ChatCompletionCreateParams.builder().model(NATIVE_MODEL).addUserMessage("A list")
                                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(
                                        ResponseFormatJsonSchema.JsonSchema.builder().name("list")
                                                .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                                                .putAdditionalProperty("type", JsonValue.from("array"))
                                                                .build())
                                                .build()).build())
                                .build()));

        assertEquals(400, e.statusCode());
        assertEquals("response_format.json_schema.schema", e.param().orElseThrow());
        assertTrue(anthropic.requests().isEmpty(), "refused before any upstream call");
    }

    private static ResponseFormatJsonSchema weatherSchema() {
        return ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("weather").strict(true)
                .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                        "city", Map.of("type", "string"),
                                        "temperature", Map.of("type", "number"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city", "temperature")))
                                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                .build())
                .build()).build();
    }
}
