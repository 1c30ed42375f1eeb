package com.example.llm.echo;

import java.nio.file.Path;
import java.time.Instant;
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
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.testkit.ContractExchange;
import io.llmgateway.testkit.ContractSink;
import io.llmgateway.testkit.FakePluginContext;
import io.llmgateway.testkit.SettingsTable;
import org.junit.jupiter.api.Test;

import jakarta.json.JsonValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestEchoBackend {

    private static final OptionalInt NO_LIMIT = OptionalInt.empty();

    private final Backend backend = new EchoBackendProvider().create(
            FakePluginContext.of(EchoBackendProvider.DESCRIPTOR, Map.of()));

    @Test
    void servesTheEchoModel() {
        assertEquals(List.of("echo"), backend.models().stream().map(ModelInfo::id).toList());
        assertTrue(backend.serves("echo"));
        assertFalse(backend.serves("mock"));
    }

    @Test
    void echoesTheLastUserMessageWordByWord() {
        ContractSink sink = chat(backend, NO_LIMIT,
                                 ChatMessage.of(Role.SYSTEM, "Be brief."),
                                 ChatMessage.of(Role.USER, "first question"),
                                 ChatMessage.of(Role.ASSISTANT, "first answer"),
                                 ChatMessage.of(Role.USER, "  hello  plugin world\n"));

        assertEquals(List.of("hello", "  plugin", " world"), texts(sink));
        assertEquals(new ChatDelta.Finish(FinishReason.STOP), sink.deltas().get(3));
        assertEquals("hello  plugin world", ChatCompletion.of(sink.deltas()).text());
    }

    @Test
    void countsOneTokenPerWord() {
        ContractSink sink = chat(backend, NO_LIMIT,
                                 ChatMessage.of(Role.SYSTEM, "Be brief."),
                                 ChatMessage.of(Role.USER, "hello plugin world"));

        // prompt: 2 + 3 words; completion: the 3 words sent
        assertEquals(new ChatDelta.Usage(TokenUsage.of(5, 3)), sink.deltas().getLast());
    }

    @Test
    void stopsAtMaxTokensWithFinishReasonLength() {
        ContractSink sink = chat(backend, OptionalInt.of(2), ChatMessage.of(Role.USER, "one two three"));

        ChatCompletion completion = ChatCompletion.of(sink.deltas());
        assertEquals("one two", completion.text());
        assertEquals(FinishReason.LENGTH, completion.finishReason());
        assertEquals(Optional.of(TokenUsage.of(3, 2)), completion.usage());
    }

    @Test
    void putsTheConfiguredPrefixFirst() {
        Backend prefixed = new EchoBackendProvider().create(
                FakePluginContext.of(EchoBackendProvider.DESCRIPTOR, Map.of("ECHO_PREFIX", "You said: ")));

        ContractSink sink = chat(prefixed, NO_LIMIT, ChatMessage.of(Role.USER, "hi"));

        assertEquals(List.of("You", " said:", " hi"), texts(sink));
    }

    @Test
    void rejectsAConversationWithoutUserMessage() {
        GatewayException error = assertThrows(GatewayException.class,
                                              () -> chat(backend, NO_LIMIT, ChatMessage.of(Role.SYSTEM, "Be brief.")));

        assertEquals(400, error.status());
        assertEquals(Optional.of("messages"), error.param());
    }

    @Test
    void theDescriptorRecordsTheSpiItWasBuiltAgainst() {
        PluginDescriptor descriptor = new EchoBackendProvider().descriptor();

        assertEquals(new SpiVersion(SpiVersion.MAJOR, SpiVersion.MINOR), descriptor.spiVersion());
        assertEquals(EchoBackendProvider.TYPE, descriptor.name());
        assertEquals(List.of(EchoBackendProvider.PREFIX), descriptor.settings());
    }

    @Test
    void theReadmesSettingsTableIsTheDescriptors() {
        SettingsTable.assertReadmeMatches(EchoBackendProvider.DESCRIPTOR, Path.of("README.md"));
    }

    private static ContractSink chat(Backend backend, OptionalInt maxTokens, ChatMessage... messages) {
        ChatRequest request = new ChatRequest("echo", List.of(messages), maxTokens, OptionalDouble.empty(),
                                              OptionalDouble.empty(), List.of(), false, false, Optional.empty(),
                                              OptionalLong.empty(), Map.of(), JsonValue.EMPTY_JSON_OBJECT);
        ContractSink sink = ContractSink.reading();
        backend.chat(new ContractExchange(request, EchoBackendProvider.TYPE, Instant.now().plusSeconds(10)), sink);
        return sink;
    }

    /** The text deltas alone: what a streaming client receives as content chunks. */
    private static List<String> texts(ContractSink sink) {
        return sink.deltas().stream()
                .filter(ChatDelta.Text.class::isInstance)
                .map(delta -> ((ChatDelta.Text) delta).text())
                .toList();
    }
}
