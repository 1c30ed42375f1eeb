package io.llmgateway.e2e;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.FakeOpenAiApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.Reply;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The api backend end to end: the built distribution in front of a fake Anthropic Messages API and a
 * fake OpenAI-compatible upstream, the OpenAI Java SDK as the client, tool calling included.
 */
final class TestApiGateway {

    private static FakeAnthropicApi anthropic;
    private static FakeOpenAiApi openAi;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        anthropic = FakeAnthropicApi.start();
        openAi = FakeOpenAiApi.start();
        gateway = GatewayProcess.start("api", Map.of(
                "LLM_BACKEND", "api",
                "ANTHROPIC_API_KEY", "sk-ant-test",
                "ANTHROPIC_BASE_URL", anthropic.baseUrl(),
                "LLM_OPENAI_BASE_URL", openAi.baseUrl(),
                "LLM_MAX_ATTEMPTS", "1",
                "LLM_BREAKER_FAILURES", "0"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        anthropic.close();
        openAi.close();
    }

    @BeforeEach
    void forget() {
        anthropic.clearRecorded();
        openAi.clearRecorded();
    }

    @Test
    void aCompletionThroughAnthropic() {
        ChatCompletion answer = gateway.client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude-haiku")
                .addSystemMessage("Be brief.")
                .addUserMessage("Hi")
                .maxCompletionTokens(50)
                .build());

        assertEquals("Hello from the fake Anthropic API.", Chat.content(answer));
        RecordedRequest upstream = anthropic.requests().getFirst();
        assertEquals("claude-haiku-5-5", upstream.model());
        assertEquals("Be brief.", upstream.body().getString("system"));
        assertEquals(50, upstream.body().getInt("max_tokens"));
    }

    @Test
    void toolCallingRoundTrip() {
        anthropic.enqueue(Reply.toolUse("weather", Json.createObjectBuilder().add("city", "Oslo").build()));
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder()
                .model("claude-sonnet")
                .addUserMessage("What is the weather in Oslo?")
                .addFunctionTool(FunctionDefinition.builder()
                                         .name("weather")
                                         .description("Current weather for a city")
                                         .parameters(FunctionParameters.builder()
                                                             .putAdditionalProperty("type", JsonValue.from("object"))
                                                             .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                                                     "city", Map.of("type", "string"))))
                                                             .build())
                                         .build())
                .build();

        ChatCompletion first = gateway.client().chat().completions().create(ask);

        ChatCompletion.Choice choice = first.choices().getFirst();
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertEquals("weather", call.function().name());
        assertEquals("{\"city\":\"Oslo\"}", call.function().arguments());
        JsonObject tool = anthropic.requests().getFirst().body().getJsonArray("tools").getJsonObject(0);
        assertEquals("weather", tool.getString("name"));
        assertEquals("object", tool.getJsonObject("input_schema").getString("type"));

        ChatCompletion second = gateway.client().chat().completions().create(ask.toBuilder()
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("3 degrees").build())
                .build());

        assertEquals("Hello from the fake Anthropic API.", Chat.content(second));
        JsonArray messages = anthropic.requests().getLast().body().getJsonArray("messages");
        JsonObject toolUse = messages.getJsonObject(1).getJsonArray("content").getJsonObject(0);
        assertEquals("tool_use", toolUse.getString("type"));
        assertEquals(call.id(), toolUse.getString("id"));
        JsonObject toolResult = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
        assertEquals("tool_result", toolResult.getString("type"));
        assertEquals("3 degrees", toolResult.getString("content"));
    }

    @Test
    void parallelToolCallsAndTheirResultsGoBackTogether() {
        anthropic.enqueue(Reply.toolUse("", Reply.ToolCall.of("weather", Json.createObjectBuilder().add("city", "Oslo").build()),
                                        Reply.ToolCall.of("weather", Json.createObjectBuilder().add("city", "Rome").build())));
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder()
                .model("claude-sonnet")
                .addUserMessage("Weather in Oslo and in Rome?")
                .addFunctionTool(FunctionDefinition.builder().name("weather")
                                         .parameters(FunctionParameters.builder()
                                                             .putAdditionalProperty("type", JsonValue.from("object"))
                                                             .build())
                                         .build())
                .build();

        ChatCompletion first = gateway.client().chat().completions().create(ask);

        List<ChatCompletionMessageFunctionToolCall> calls = first.choices().getFirst().message().toolCalls().orElseThrow()
                .stream().map(call -> call.asFunction()).toList();
        assertEquals(List.of("{\"city\":\"Oslo\"}", "{\"city\":\"Rome\"}"),
                     calls.stream().map(call -> call.function().arguments()).toList());
        ChatCompletionCreateParams.Builder next = ask.toBuilder().addMessage(first.choices().getFirst().message());
        for (ChatCompletionMessageFunctionToolCall call : calls) {
            next.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                                    .content(call.function().arguments().contains("Oslo") ? "3 degrees" : "24 degrees").build());
        }
        gateway.client().chat().completions().create(next.build());

        // Anthropic wants every result of one assistant turn in the one user message that follows it
        JsonArray messages = anthropic.requests().getLast().body().getJsonArray("messages");
        assertEquals(3, messages.size(), messages.toString());
        JsonArray results = messages.getJsonObject(2).getJsonArray("content");
        assertEquals(List.of(calls.get(0).id(), calls.get(1).id()),
                     results.stream().map(v -> v.asJsonObject().getString("tool_use_id")).toList());
        assertEquals("24 degrees", results.getJsonObject(1).getString("content"));
    }

    @Test
    void anImageGoesUpstreamAsABase64Block() {
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        ChatCompletion answer = gateway.client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude-sonnet")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                                  .url("data:image/png;base64," + png).build())
                                .build())))
                .build());

        assertEquals("Hello from the fake Anthropic API.", Chat.content(answer));
        JsonArray content = anthropic.requests().getLast().body().getJsonArray("messages").getJsonObject(0)
                .getJsonArray("content");
        assertEquals("What is this?", content.getJsonObject(0).getString("text"));
        JsonObject image = content.getJsonObject(1);
        assertEquals("image", image.getString("type"));
        assertEquals("base64", image.getJsonObject("source").getString("type"));
        assertEquals("image/png", image.getJsonObject("source").getString("media_type"));
        assertEquals(png, image.getJsonObject("source").getString("data"));
    }

    @Test
    void streamedToolCallsAccumulate() {
        anthropic.enqueue(Reply.toolUse("lookup", Json.createObjectBuilder().add("q", "llm gateways").build()));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        try (StreamResponse<ChatCompletionChunk> stream = gateway.client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("claude-sonnet").addUserMessage("Search")
                        .addFunctionTool(FunctionDefinition.builder().name("lookup").build()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion whole = accumulator.chatCompletion();
        ChatCompletionMessageFunctionToolCall call = whole.choices().getFirst().message().toolCalls().orElseThrow()
                .getFirst().asFunction();
        assertEquals("lookup", call.function().name());
        assertEquals("llm gateways", Json.createReader(new StringReader(call.function().arguments()))
                .readObject().getString("q"));
        assertTrue(anthropic.requests().getFirst().stream());
    }

    @Test
    void anOpenAiCompatibleUpstreamIsRelayed() {
        ChatCompletion answer = gateway.client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Hi")
                .logprobs(true)
                .build());

        assertEquals("gpt-4o-mini", answer.model());
        assertTrue(answer.choices().getFirst().logprobs().isPresent(), "fields the gateway does not model pass through");
        assertEquals(1, openAi.requests().stream().filter(request -> request.method().equals("POST")).count());
        List<String> models = gateway.client().models().list().data().stream().map(model -> model.id()).toList();
        assertTrue(models.containsAll(List.of("claude-sonnet", "gpt-4o-mini", "llama-3.1-8b")), models.toString());
    }

    @Test
    void upstreamErrorsReachTheSdkAsItsExceptions() {
        anthropic.enqueue(Reply.rateLimited(9));
        anthropic.enqueue(Reply.invalidRequest("prompt is too long"));

        RateLimitException limited = assertThrows(RateLimitException.class, () -> gateway.client().chat().completions()
                .create(Chat.ask("claude-sonnet", "one")));
        BadRequestException bad = assertThrows(BadRequestException.class, () -> gateway.client().chat().completions()
                .create(Chat.ask("claude-sonnet", "two")));

        assertEquals("9", limited.headers().values("retry-after").getFirst());
        assertTrue(bad.getMessage().contains("prompt is too long"), bad.getMessage());
    }
}
