package io.llmgateway.e2e;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.Reply;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Function calling, structured outputs and images on the cli backend end to end: the built distribution with
 * the real {@code claude} binary, a fake Anthropic API that answers {@code tool_use} for the {@code mcp__gw__}
 * tools (and for the CLI's {@code StructuredOutput}), and the OpenAI Java SDK as the client.
 */
final class TestCliToolsGateway {

    /** A 1x1 PNG. */
    private static final String PIXEL = "data:image/png;base64,"
            + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FakeAnthropicApi api;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        api = FakeAnthropicApi.start();
        api.replyWith(TestCliToolsGateway::reply);
        gateway = GatewayProcess.start("cli-tools", RealClaude.gatewaySettings(api, Map.of(
                "LLM_POOL_SIZE", "1", "LLM_POOL_MAX_OVERFLOW", "2")));
        long until = System.nanoTime() + WAIT.toNanos();
        while (Sessions.idleWarm(gateway) < 1) {
            if (System.nanoTime() > until) {
                throw new AssertionError("no warm session: " + Sessions.of(gateway));
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (api != null) {
            api.close();
        }
    }

    /** The fake model: calls the client's weather function, then answers with its result; fills in schemas. */
    private static Reply reply(RecordedRequest request) {
        if (request.toolNames().contains("StructuredOutput")) {
            return Reply.toolUse("", Reply.ToolCall.of("StructuredOutput", Json.createObjectBuilder()
                    .add("city", "Oslo").add("degrees", 3).build()));
        }
        if (!request.toolResults().isEmpty()) {
            return Reply.text("It is " + String.join(", ", request.toolResults().values()) + " in Oslo.");
        }
        if (request.toolNames().contains("mcp__gw__weather")) {
            return Reply.toolUse("", Reply.ToolCall.of("mcp__gw__weather", Json.createObjectBuilder().add("city", "Oslo").build()));
        }
        if (request.messages().toString().contains("\"type\":\"image\"")) {
            return Reply.text("A red pixel.");
        }
        return null;
    }

    @Test
    void functionCallingRoundTripOnTheWaitingSession() throws Exception {
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder()
                .model("claude-sonnet")
                .addUserMessage("What is the weather in Oslo?")
                .addFunctionTool(weather())
                .build();

        Map<String, Integer> servedBefore = new java.util.HashMap<>();
        Sessions.of(gateway).forEach(s -> servedBefore.put(s.getString("id"), s.getInt("requests")));

        ChatCompletion first = gateway.client().chat().completions().create(ask);

        ChatCompletion.Choice choice = first.choices().getFirst();
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertEquals("weather", call.function().name());
        assertEquals("Oslo", Json.createReader(new StringReader(call.function().arguments())).readObject().getString("city"));
        assertEquals(List.of("mcp__gw__weather"), api.requests().getLast().toolNames());
        // the session that served it waits (a session another test left waiting may too)
        JsonObject waiting = Sessions.of(gateway).stream().filter(s -> s.getString("state").equals("awaiting_tools"))
                .filter(s -> s.getInt("requests") > servedBefore.getOrDefault(s.getString("id"), 0))
                .findFirst().orElseThrow(() -> new AssertionError("no session waits: " + Sessions.of(gateway)));
        long continuations = metric("llm_cli_tool_continuations_total");

        ChatCompletion second = gateway.client().chat().completions().create(ask.toBuilder()
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("3 degrees").build())
                .build());

        assertEquals("It is 3 degrees in Oslo.", Chat.content(second));
        RecordedRequest upstream = api.requests().getLast();
        assertEquals(Map.of(call.id(), "3 degrees"), upstream.toolResults(), "the result went to the waiting call");
        assertTrue(upstream.messages().toString().contains("\"id\":\"" + call.id() + "\""), "the held tool_use");
        assertEquals(continuations + 1, metric("llm_cli_tool_continuations_total"));
        JsonObject after = Sessions.of(gateway).stream().filter(s -> s.getString("id").equals(waiting.getString("id")))
                .findFirst().orElseThrow();
        assertEquals(waiting.getInt("requests") + 1, after.getInt("requests"), "served by the session that waited");
        assertEquals("idle", after.getString("state"));
    }

    @Test
    void streamedToolCallsAccumulate() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        try (StreamResponse<ChatCompletionChunk> stream = gateway.client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("claude-sonnet").addUserMessage("Weather, streamed?")
                        .addFunctionTool(weather()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion whole = accumulator.chatCompletion();
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, whole.choices().getFirst().finishReason());
        ChatCompletionMessageFunctionToolCall call = whole.choices().getFirst().message().toolCalls().orElseThrow()
                .getFirst().asFunction();
        assertEquals("weather", call.function().name());
        assertEquals("Oslo", Json.createReader(new StringReader(call.function().arguments())).readObject().getString("city"));
    }

    @Test
    void aJsonSchemaResponseFormatIsAnsweredWithMatchingJson() {
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                                    .name("weather_report")
                                    .strict(true)
                                    .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                                    .putAdditionalProperty("type", JsonValue.from("object"))
                                                    .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                                            "city", Map.of("type", "string"),
                                                            "degrees", Map.of("type", "integer"))))
                                                    .putAdditionalProperty("required", JsonValue.from(List.of("city", "degrees")))
                                                    .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                                    .build())
                                    .build())
                .build();

        ChatCompletion answer = gateway.client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude-sonnet").addUserMessage("Report the weather in Oslo.").responseFormat(format).build());

        JsonObject report = Json.createReader(new StringReader(Chat.content(answer))).readObject();
        assertEquals("Oslo", report.getString("city"));
        assertEquals(3, report.getInt("degrees"));
        JsonObject schema = api.requests().getLast().body().getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema");
        assertEquals(List.of("city", "degrees"), schema.getJsonArray("required").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
    }

    @Test
    void anImageReachesTheModel() {
        ChatCompletion answer = gateway.client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude-sonnet")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(PIXEL).build()).build())))
                .build());

        assertEquals("A red pixel.", Chat.content(answer));
        JsonObject image = null;
        for (jakarta.json.JsonValue message : api.requests().getLast().messages()) {
            if (message.asJsonObject().get("content") instanceof JsonArray blocks) {
                for (jakarta.json.JsonValue block : blocks) {
                    if ("image".equals(block.asJsonObject().getString("type", ""))) {
                        image = block.asJsonObject();
                    }
                }
            }
        }
        assertTrue(image != null, "no image block upstream: " + api.requests().getLast().messages());
        assertEquals("base64", image.getJsonObject("source").getString("type"));
        assertEquals(PIXEL.substring(PIXEL.indexOf(',') + 1), image.getJsonObject("source").getString("data"));
    }

    private static FunctionDefinition weather() {
        return FunctionDefinition.builder()
                .name("weather")
                .description("Current weather for a city")
                .parameters(FunctionParameters.builder()
                                    .putAdditionalProperty("type", JsonValue.from("object"))
                                    .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                    .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                    .build())
                .build();
    }

    /** A counter's value in {@code /metrics}, 0 when it is not there yet. */
    private static long metric(String name) throws IOException {
        String text = new String(gateway.uri("/metrics").toURL().openStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher value = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} ([0-9.]+)").matcher(text);
        return value.find() ? (long) Double.parseDouble(value.group(1)) : 0;
    }
}
