package com.example.llm.echo;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.Role;
import io.llmgateway.api.TokenUsage;
import org.junit.jupiter.api.Test;

import jakarta.json.JsonValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestEchoBackend {

    private static final OptionalInt NO_LIMIT = OptionalInt.empty();

    private final Backend backend = new EchoBackendProvider().create(new FakeContext(Map.of()));

    @Test
    void servesTheEchoModel() {
        assertEquals(List.of("echo"), backend.models().stream().map(ModelInfo::id).toList());
        assertTrue(backend.serves("echo"));
        assertFalse(backend.serves("mock"));
    }

    @Test
    void echoesTheLastUserMessageWordByWord() {
        RecordingSink sink = chat(backend, NO_LIMIT,
                                  ChatMessage.of(Role.SYSTEM, "Be brief."),
                                  ChatMessage.of(Role.USER, "first question"),
                                  ChatMessage.of(Role.ASSISTANT, "first answer"),
                                  ChatMessage.of(Role.USER, "  hello  plugin world\n"));

        assertEquals(List.of("hello", "  plugin", " world"), sink.texts());
        assertEquals(new ChatDelta.Finish(FinishReason.STOP), sink.deltas().get(3));
        assertEquals("hello  plugin world", ChatCompletion.of(sink.deltas()).text());
    }

    @Test
    void countsOneTokenPerWord() {
        RecordingSink sink = chat(backend, NO_LIMIT,
                                  ChatMessage.of(Role.SYSTEM, "Be brief."),
                                  ChatMessage.of(Role.USER, "hello plugin world"));

        // prompt: 2 + 3 words; completion: the 3 words sent
        assertEquals(new ChatDelta.Usage(TokenUsage.of(5, 3)), sink.deltas().getLast());
    }

    @Test
    void stopsAtMaxTokensWithFinishReasonLength() {
        RecordingSink sink = chat(backend, OptionalInt.of(2), ChatMessage.of(Role.USER, "one two three"));

        ChatCompletion completion = ChatCompletion.of(sink.deltas());
        assertEquals("one two", completion.text());
        assertEquals(FinishReason.LENGTH, completion.finishReason());
        assertEquals(Optional.of(TokenUsage.of(3, 2)), completion.usage());
    }

    @Test
    void putsTheConfiguredPrefixFirst() {
        Backend prefixed = new EchoBackendProvider().create(new FakeContext(Map.of("ECHO_PREFIX", "You said: ")));

        RecordingSink sink = chat(prefixed, NO_LIMIT, ChatMessage.of(Role.USER, "hi"));

        assertEquals(List.of("You", " said:", " hi"), sink.texts());
    }

    @Test
    void rejectsAConversationWithoutUserMessage() {
        GatewayException error = assertThrows(GatewayException.class,
                                              () -> chat(backend, NO_LIMIT, ChatMessage.of(Role.SYSTEM, "Be brief.")));

        assertEquals(400, error.status());
        assertEquals(Optional.of("messages"), error.param());
    }

    private static RecordingSink chat(Backend backend, OptionalInt maxTokens, ChatMessage... messages) {
        ChatRequest request = new ChatRequest("echo", List.of(messages), maxTokens, OptionalDouble.empty(),
                                              OptionalDouble.empty(), List.of(), false, false, Optional.empty(),
                                              OptionalLong.empty(), Map.of(), JsonValue.EMPTY_JSON_OBJECT);
        RecordingSink sink = new RecordingSink();
        backend.chat(new FakeExchange(request), sink);
        return sink;
    }
}
