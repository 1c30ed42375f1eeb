package io.llmgateway.testing;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletion.Choice.FinishReason;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;

import io.llmgateway.testing.Reply.ToolCall;
import io.llmgateway.testing.Reply.Usage;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official OpenAI Java SDK against {@link FakeOpenAiApi}: proof that the fake speaks the chat
 * completions API well enough for a real client, whole and streamed, with tool calls, logprobs, usage,
 * errors and the key check.
 */
final class TestOpenAiSdkAgainstFakeApi {
    private static final String KEY = "sk-sdk-test";
    private static final ChatCompletionCreateParams QUESTION = ChatCompletionCreateParams.builder()
            .model("gpt-test").addUserMessage("Say hi").build();

    private final FakeOpenAiApi api = FakeOpenAiApi.start().requireKey(KEY);
    private final OpenAIClient client = client(KEY);

    @AfterEach
    void close() {
        client.close();
        api.close();
    }

    @Test
    void modelsAreListed() {
        assertEquals(FakeOpenAiApi.DEFAULT_MODELS, client.models().list().data().stream().map(Model::id).toList());
    }

    @Test
    void aCompletionIsReadWhole() {
        api.enqueue(Reply.text("Hel", "lo").withUsage(new Usage(5, 2, 3, 0)));

        ChatCompletion completion = client.chat().completions().create(QUESTION.toBuilder().logprobs(true).build());

        assertTrue(completion.id().startsWith("chatcmpl-"), completion.id());
        assertEquals("gpt-test", completion.model());
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertEquals("Hello", choice.message().content().orElseThrow());
        assertEquals(FinishReason.STOP, choice.finishReason());
        assertEquals(List.of("Hel", "lo"), choice.logprobs().orElseThrow().content().orElseThrow().stream()
                .map(ChatCompletionTokenLogprob::token).toList());
        CompletionUsage usage = completion.usage().orElseThrow();
        assertEquals(8, usage.promptTokens());
        assertEquals(2, usage.completionTokens());
        assertEquals(10, usage.totalTokens());
        assertEquals(3, usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
        assertEquals("Bearer " + KEY, api.awaitRequests(1, Duration.ofSeconds(10)).getFirst().header("authorization"));
    }

    @Test
    void aStreamAddsUpToTheWholeCompletion() {
        JsonObject input = Jsons.object().add("city", "Zürich").build();
        Reply reply = Reply.toolUse("Looking.", new ToolCall("call_1", "weather", input));
        api.defaultReply(reply);
        ChatCompletion whole = client.chat().completions().create(QUESTION);

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        ChatCompletionCreateParams streamed = QUESTION.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion added = accumulator.chatCompletion();

        for (ChatCompletion completion : List.of(whole, added)) {
            ChatCompletionMessage message = completion.choices().getFirst().message();
            assertEquals("Looking.", message.content().orElseThrow());
            ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().getFirst().asFunction();
            assertEquals("call_1", call.id());
            assertEquals("weather", call.function().name());
            assertEquals(input, Jsons.parseObject(call.function().arguments()));
            assertEquals(FinishReason.TOOL_CALLS, completion.choices().getFirst().finishReason());
        }
        assertEquals(whole.usage(), added.usage(), "the usage chunk reports the same usage");
    }

    @Test
    void errorsBecomeTheSdksExceptions() {
        api.enqueue(Reply.rateLimited(3));
        RateLimitException limited = assertThrows(RateLimitException.class, () -> client.chat().completions().create(QUESTION));
        assertEquals(List.of("3"), limited.headers().values("retry-after"));
        assertEquals("rate_limit_exceeded", limited.code().orElseThrow());
        assertEquals("requests", limited.type().orElseThrow());

        api.enqueue(Reply.streamError("par", "tial"));
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(QUESTION)) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            SseException failed = assertThrows(SseException.class, () -> chunks.forEachRemaining(chunk -> { }));
            assertEquals("server_error", failed.type().orElseThrow());
        }

        OpenAIClient wrongKey = client("sk-wrong-key-0000");
        try {
            UnauthorizedException unauthorized = assertThrows(UnauthorizedException.class,
                    () -> wrongKey.chat().completions().create(QUESTION));
            assertEquals("invalid_api_key", unauthorized.code().orElseThrow());
        } finally {
            wrongKey.close();
        }
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(api.baseUrl() + "/v1").apiKey(key).maxRetries(0).build();
    }
}
