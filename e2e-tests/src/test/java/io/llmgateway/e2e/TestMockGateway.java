package io.llmgateway.e2e;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
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
 * The distribution as shipped, serving its mock backend, called through the OpenAI Java SDK. One gateway
 * serves every test of the class; each test tells its requests apart by content or request id.
 */
final class TestMockGateway {

    private static GatewayProcess gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = GatewayProcess.start("mock-gateway", Map.of());
        client = gateway.client();
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void listsTheMockModels() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertTrue(ids.containsAll(List.of("claude-sonnet", "claude-opus", "claude-haiku", "mock")), ids::toString);
    }

    @Test
    void answersACompletionWithConsistentUsage() {
        ChatCompletion completion = client.chat().completions().create(Chat.ask("claude-sonnet", "Say hello"));

        assertTrue(Chat.content(completion).contains("Say hello"), () -> Chat.content(completion));
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().getFirst().finishReason());
        CompletionUsage usage = completion.usage().orElseThrow();
        assertAll(() -> assertTrue(usage.promptTokens() > 0, usage::toString),
                  () -> assertTrue(usage.completionTokens() > 0, usage::toString),
                  () -> assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens()));
    }

    @Test
    void stopsAtTheTokenLimitWithFinishReasonLength() {
        ChatCompletionCreateParams limited = Chat.ask("mock", "Tell me a long story about gateways").toBuilder()
                .maxCompletionTokens(3)
                .build();

        ChatCompletion completion = client.chat().completions().create(limited);

        assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, completion.choices().getFirst().finishReason());
        assertEquals(3, completion.usage().orElseThrow().completionTokens());
    }

    @Test
    void streamsTheSameAnswerChunkByChunkWithUsageAtTheEnd() {
        ChatCompletionCreateParams question = Chat.ask("mock", "Stream this answer, please");
        ChatCompletion whole = client.chat().completions().create(question);
        // stream_options only goes with a streamed request; the SDK's createStreaming adds "stream": true
        ChatCompletionCreateParams streamed = question.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();

        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed)) {
            chunks = stream.stream().toList();
        }

        List<String> pieces = chunks.stream()
                .flatMap(chunk -> chunk.choices().stream())
                .flatMap(choice -> choice.delta().content().stream())
                .filter(piece -> !piece.isEmpty())
                .toList();
        assertTrue(pieces.size() > 1, () -> "expected the answer in several chunks, got " + pieces);
        assertEquals(Chat.content(whole), String.join("", pieces));
        assertTrue(chunks.stream().flatMap(chunk -> chunk.choices().stream())
                           .anyMatch(choice -> choice.finishReason().equals(Optional.of(ChatCompletionChunk.Choice.FinishReason.STOP))),
                   "a chunk ends the answer with finish_reason stop");
        assertEquals(whole.usage(), chunks.getLast().usage(), "the last chunk carries the usage");
    }

    @Test
    void rejectsAnOutOfRangeTemperatureAsBadRequest() {
        ChatCompletionCreateParams tooHot = Chat.ask("mock", "hi").toBuilder().temperature(5.0).build();

        BadRequestException error = assertThrows(BadRequestException.class,
                                                  () -> client.chat().completions().create(tooHot));

        assertEquals(400, error.statusCode());
        assertEquals(Optional.of("invalid_request_error"), error.type());
        assertEquals(Optional.of("temperature"), error.param());
        assertTrue(error.getMessage().contains("temperature"), error::getMessage);
    }

    @Test
    void answersAnUnknownModelWithNotFound() {
        NotFoundException error = assertThrows(NotFoundException.class, () -> client.chat().completions().create(
                Chat.ask("no-such-model", "hi")));

        assertEquals(404, error.statusCode());
        assertEquals(Optional.of("model_not_found"), error.code());
        assertEquals(Optional.of("model"), error.param());
    }

    @Test
    void echoesTheCallersRequestId() {
        String requestId = "e2e-" + UUID.randomUUID();
        ChatCompletionCreateParams tagged = Chat.ask("mock", "hi").toBuilder()
                .putAdditionalHeader("x-request-id", requestId)
                .build();

        try (HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse().create(tagged)) {
            assertEquals(200, response.statusCode());
            assertEquals(List.of(requestId), response.headers().values("x-request-id"));
        }
    }

    @Test
    void logsEachRequestAsOneJsonLineWithoutThePrompt() throws Exception {
        String requestId = "e2e-log-" + UUID.randomUUID();
        String secret = "secret-" + UUID.randomUUID();
        client.chat().completions().create(Chat.ask("mock", "Keep this to yourself: " + secret).toBuilder()
                                                   .putAdditionalHeader("x-request-id", requestId)
                                                   .build());

        List<String> lines = gateway.awaitStdoutLines(line -> line.contains(requestId));

        assertEquals(1, lines.size(), () -> "expected one log line for the request, got " + lines);
        JsonObject line = json(lines.getFirst());
        assertAll(() -> assertEquals(requestId, line.getString("request_id")),
                  () -> assertEquals("mock", line.getString("model")),
                  () -> assertEquals("mock", line.getString("backend")),
                  () -> assertEquals(200, line.getInt("status")),
                  () -> assertTrue(line.getJsonNumber("latency_ms").doubleValue() >= 0, line::toString));
        List<String> stdout = gateway.stdoutLines();
        assertFalse(stdout.stream().anyMatch(it -> it.contains(secret)), "the prompt must not be logged");
        // stdout is for the request log alone: diagnostics go to stderr
        stdout.forEach(TestMockGateway::json);
    }

    private static JsonObject json(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }
}
