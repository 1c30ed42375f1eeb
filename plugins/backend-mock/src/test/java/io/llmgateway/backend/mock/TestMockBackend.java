package io.llmgateway.backend.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.testing.TestExchange;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestMockBackend {

    private final MockBackend backend = new MockBackend(Optional.empty(), Duration.ZERO, Clock.systemUTC());

    @Test
    void sameRequestSameAnswer() {
        ChatRequest request = request("What is the capital of France?", OptionalInt.empty(), List.of());

        List<ChatDelta> first = run(backend, request, Instant.MAX);
        List<ChatDelta> second = run(backend, request, Instant.MAX);

        assertEquals(first, second);
        assertEquals("Mock answer from mock to: What is the capital of France?", ChatCompletion.of(first).text());
    }

    @Test
    void streamsTokenByTokenWithHonestUsage() {
        List<ChatDelta> deltas = run(backend, request("one two three", OptionalInt.empty(), List.of()), Instant.MAX);

        long texts = deltas.stream().filter(ChatDelta.Text.class::isInstance).count();
        ChatCompletion completion = ChatCompletion.of(deltas);
        assertTrue(texts > 3, "several deltas");
        assertEquals(texts, completion.usage().orElseThrow().completionTokens());
        assertEquals(Tokens.count(completion.text()), texts);
        // 3 tokens of text + 3 per message + 3 to prime the reply
        assertEquals(9, completion.usage().orElseThrow().promptTokens());
        assertEquals(FinishReason.STOP, completion.finishReason());
    }

    @Test
    void maxTokensTruncatesWithFinishReasonLength() {
        ChatCompletion completion = ChatCompletion.of(run(backend, request("tell me more", OptionalInt.of(3), List.of()),
                                                          Instant.MAX));

        assertEquals("Mock answer from", completion.text());
        assertEquals(3, completion.usage().orElseThrow().completionTokens());
        assertEquals(FinishReason.LENGTH, completion.finishReason());
    }

    @Test
    void stopSequencesCutTheAnswer() {
        ChatCompletion completion = ChatCompletion.of(run(backend, request("hello", OptionalInt.empty(), List.of(" to:", "x")),
                                                          Instant.MAX));

        assertEquals("Mock answer from mock", completion.text());
        assertEquals(FinishReason.STOP, completion.finishReason());
    }

    @Test
    void fixedResponse() {
        MockBackend fixed = new MockBackend(Optional.of("Always this."), Duration.ZERO, Clock.systemUTC());

        assertEquals("Always this.", ChatCompletion.of(run(fixed, request("anything", OptionalInt.empty(), List.of()),
                                                           Instant.MAX)).text());
    }

    @Test
    void latencyBeyondTheDeadlineTimesOut() {
        MockBackend slow = new MockBackend(Optional.empty(), Duration.ofSeconds(5), Clock.systemUTC());

        GatewayException e = assertThrows(GatewayException.class, () -> run(
                slow, request("hi", OptionalInt.empty(), List.of()), Instant.now().plusMillis(50)));

        assertEquals(504, e.status());
    }

    @Test
    void tokensJoinBackToTheText() {
        String text = "  Héllo, wörld!  Numbers 1234567890123 and emoji \uD83D\uDE00 end.  ";

        assertEquals(text.stripLeading(), String.join("", Tokens.split(text)).stripLeading());
        assertEquals(Tokens.split(text).size(), Tokens.count(text));
    }

    private static List<ChatDelta> run(MockBackend backend, ChatRequest request, Instant deadline) {
        List<ChatDelta> deltas = new ArrayList<>();
        backend.chat(new TestExchange(request, deadline), deltas::add);
        return deltas;
    }

    private static ChatRequest request(String prompt, OptionalInt maxTokens, List<String> stop) {
        return new ChatRequest("mock", List.of(ChatMessage.of(Role.USER, prompt)), maxTokens, OptionalDouble.empty(),
                               OptionalDouble.empty(), stop, false, false, Optional.empty(), OptionalLong.empty(),
                               Map.of(), JsonValue.EMPTY_JSON_OBJECT);
    }
}
