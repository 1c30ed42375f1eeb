package io.llmgateway.e2e;

import java.io.StringReader;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tools, structured outputs and images through the distribution's mock backend, with the OpenAI Java SDK's
 * own request builders, typed helpers and stream accumulator, streamed and not.
 */
final class TestMockTools {

    /** A 1x1 PNG. */
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static GatewayProcess gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = GatewayProcess.start("mock-tools", Map.of());
        client = gateway.client();
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void functionCallingRoundTrip() {
        ChatCompletionCreateParams question = withTools("What is the weather in Paris?").build();

        ChatCompletion first = client.chat().completions().create(question);

        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().getFirst().finishReason());
        ChatCompletionMessage asked = first.choices().getFirst().message();
        ChatCompletionMessageFunctionToolCall call = asked.toolCalls().orElseThrow().getFirst().asFunction();
        assertEquals("get_weather", call.function().name());
        JsonObject arguments = json(call.function().arguments());
        assertTrue(List.of("c", "f").contains(arguments.getString("unit")), arguments::toString);
        assertFalse(arguments.getString("city").isEmpty());

        ChatCompletion answer = client.chat().completions().create(question.toBuilder()
                .addMessage(asked)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18 degrees, cloudy").build())
                .build());

        assertEquals(ChatCompletion.Choice.FinishReason.STOP, answer.choices().getFirst().finishReason());
        assertTrue(Chat.content(answer).contains("get_weather returned 18 degrees, cloudy"), () -> Chat.content(answer));
    }

    @Test
    void streamedToolCallsAddUpToTheWholeAnswer() {
        ChatCompletionCreateParams question = withTools("Call get_time and get_weather for Oslo").build();
        ChatCompletion whole = client.chat().completions().create(question);

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question)) {
            chunks = stream.stream().peek(accumulator::accumulate).toList();
        }
        ChatCompletion streamed = accumulator.chatCompletion();

        assertEquals(List.of("get_time", "get_weather"), names(whole), "both tools, in the order the user named them");
        assertEquals(names(whole), names(streamed));
        assertEquals(arguments(whole), arguments(streamed));
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, streamed.choices().getFirst().finishReason());
        long argumentChunks = chunks.stream().flatMap(chunk -> chunk.choices().stream())
                .flatMap(choice -> choice.delta().toolCalls().stream().flatMap(List::stream))
                .filter(delta -> delta.id().isEmpty()).count();
        assertTrue(argumentChunks > 2, "arguments arrive in pieces after the chunk with id and name");
    }

    @Test
    void toolChoiceVariants() {
        ChatCompletion none = client.chat().completions().create(withTools("Call get_weather")
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE).build());
        ChatCompletion named = client.chat().completions().create(withTools("Call get_weather")
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                                    .function(ChatCompletionNamedToolChoice.Function.builder().name("get_time").build()).build())
                .build());
        ChatCompletion sequential = client.chat().completions().create(withTools("Call get_time and get_weather")
                .parallelToolCalls(false).build());

        assertAll(() -> assertEquals(Optional.empty(), none.choices().getFirst().message().toolCalls().filter(c -> !c.isEmpty())),
                  () -> assertEquals("Mock answer from mock to: Call get_weather", Chat.content(none)),
                  () -> assertEquals(List.of("get_time"), names(named)),
                  () -> assertEquals(List.of("get_time"), names(sequential)));
    }

    @Test
    void typedToolsOfTheSdk() {
        ChatCompletionCreateParams question = ChatCompletionCreateParams.builder().model("mock")
                .addUserMessage("Look up the order").addTool(LookUpOrder.class).build();

        ChatCompletionMessageFunctionToolCall call = client.chat().completions().create(question)
                .choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        LookUpOrder order = call.function().arguments(LookUpOrder.class);

        assertEquals("LookUpOrder", call.function().name());
        assertTrue(order.orderId != null && order.priority != null, () -> call.function().arguments());
    }

    @Test
    void structuredOutputWithAJsonSchema() {
        ChatCompletionCreateParams question = ChatCompletionCreateParams.builder().model("mock")
                .addUserMessage("Review the film Alien")
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("review").strict(true)
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                        .putAdditionalProperty("type", JsonValue.from("object"))
                                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                                "title", Map.of("type", "string"),
                                                "stars", Map.of("type", "integer", "minimum", 1, "maximum", 5),
                                                "tags", Map.of("type", "array", "items", Map.of("type", "string"),
                                                               "minItems", 1))))
                                        .putAdditionalProperty("required", JsonValue.from(List.of("title", "stars", "tags")))
                                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                        .build())
                        .build()).build())
                .build();

        String whole = Chat.content(client.chat().completions().create(question));
        String streamed = streamedContent(question);

        JsonObject review = json(whole);
        assertAll(() -> assertEquals(whole, streamed, "streamed and whole answers agree"),
                  () -> assertEquals(whole, Chat.content(client.chat().completions().create(question)), "repeatable"),
                  () -> assertTrue(review.getInt("stars") >= 1 && review.getInt("stars") <= 5, whole),
                  () -> assertFalse(review.getJsonArray("tags").isEmpty(), whole),
                  () -> assertEquals(3, review.size(), whole));
    }

    @Test
    void typedStructuredOutputOfTheSdk() {
        StructuredChatCompletion<Review> answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("mock").addUserMessage("Review the film Alien").responseFormat(Review.class).build());

        Review review = answer.choices().getFirst().message().content().orElseThrow();

        assertTrue(review.title != null && review.tags != null && !review.tags.isEmpty(), "every field is filled in");
    }

    @Test
    void jsonObjectAnswersAnObject() {
        ChatCompletion answer = client.chat().completions().create(Chat.ask("mock", "Answer in JSON").toBuilder()
                .responseFormat(ResponseFormatJsonObject.builder().build()).build());

        assertEquals("Mock answer from mock to: Answer in JSON", json(Chat.content(answer)).getString("answer"));
    }

    @Test
    void anImageAsADataUrl() {
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);
        ChatCompletionCreateParams question = ChatCompletionCreateParams.builder().model("mock")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(dataUrl).build()).build())))
                .build();

        String whole = Chat.content(client.chat().completions().create(question));

        assertEquals("Mock answer from mock to: What is this? [image: image/png, " + PNG.length + " bytes]", whole);
        assertEquals(whole, streamedContent(question));
    }

    @Test
    void anUnsatisfiableSchemaIsABadRequestNamingIt() {
        ChatCompletionCreateParams question = ChatCompletionCreateParams.builder().model("mock").addUserMessage("hi")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("f")
                        .parameters(FunctionParameters.builder()
                                            .putAdditionalProperty("type", JsonValue.from("object"))
                                            .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                                    "n", Map.of("type", "integer", "minimum", 5, "maximum", 1))))
                                            .putAdditionalProperty("required", JsonValue.from(List.of("n")))
                                            .build()).build()).build())
                .build();

        BadRequestException error = assertThrows(BadRequestException.class, () -> client.chat().completions().create(question));

        assertEquals(Optional.of("tools[0].function.parameters.properties.n.minimum"), error.param());
    }

    private static ChatCompletionCreateParams.Builder withTools(String question) {
        return ChatCompletionCreateParams.builder().model("mock").addUserMessage(question)
                .addTool(tool("get_weather", "The weather in a city", Map.of(
                        "type", "object",
                        "properties", Map.of("city", Map.of("type", "string"), "unit", Map.of("type", "string", "enum", List.of("c", "f"))),
                        "required", List.of("city", "unit"),
                        "additionalProperties", false)))
                .addTool(tool("get_time", "The time in a zone", Map.of(
                        "type", "object", "properties", Map.of("zone", Map.of("type", "string")), "required", List.of("zone"))));
    }

    private static ChatCompletionFunctionTool tool(String name, String description, Map<String, Object> schema) {
        FunctionParameters.Builder parameters = FunctionParameters.builder();
        schema.forEach((key, value) -> parameters.putAdditionalProperty(key, JsonValue.from(value)));
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name(name).description(description)
                                                                      .parameters(parameters.build()).build()).build();
    }

    private static String streamedContent(ChatCompletionCreateParams question) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return Chat.content(accumulator.chatCompletion());
    }

    private static List<String> names(ChatCompletion completion) {
        return calls(completion).stream().map(call -> call.asFunction().function().name()).toList();
    }

    private static List<String> arguments(ChatCompletion completion) {
        return calls(completion).stream().map(call -> call.asFunction().function().arguments()).toList();
    }

    private static List<ChatCompletionMessageToolCall> calls(ChatCompletion completion) {
        return completion.choices().getFirst().message().toolCalls().orElse(List.of());
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** The SDK derives the tool's schema from this class and parses the arguments into it. */
    public static final class LookUpOrder {
        public String orderId;
        public Integer priority;
    }

    /** The SDK derives the response schema from this class and parses the answer into it. */
    public static final class Review {
        public String title;
        public int stars;
        public List<String> tags;
    }
}
