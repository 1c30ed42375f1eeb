package io.llmgateway.backend.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.testing.FakeOpenAiApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.Reply;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An OpenAI-compatible upstream relayed unchanged apart from the model name.
 */
final class TestOpenAiRelay {

    private static final String STREAMED = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private FakeOpenAiApi upstream;

    @BeforeEach
    void start() {
        upstream = FakeOpenAiApi.start().requireKey("sk-upstream");
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void modelsComeFromTheUpstreamsList() {
        try (ApiFixture relay = relay(Map.of())) {
            List<String> ids = relay.backend().models().stream().map(ModelInfo::id).toList();

            assertEquals(List.of("gpt-4o-mini", "llama-3.1-8b"), ids);
            assertTrue(relay.backend().serves("llama-3.1-8b"));
            assertFalse(relay.backend().serves("claude-sonnet"), "no Anthropic key, no Anthropic models");
        }
    }

    @Test
    void aWholeAnswerPassesThroughWithTheClientsModelName() {
        try (ApiFixture relay = relay(Map.of("LLM_OPENAI_MODELS", "team-model=llama-3.1-8b"))) {
            RecordingSink sink = relay.chat("{\"model\":\"team-model\",\"logprobs\":true,\"seed\":7,"
                                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

            RecordedRequest sent = upstream.requests().getFirst();
            assertEquals("llama-3.1-8b", sent.model());
            assertEquals(7, sent.body().getInt("seed"), "fields the gateway does not model pass through");
            assertEquals("Bearer sk-upstream", sent.header("authorization"));
            JsonObject completion = ((ChatDelta.Passthrough) sink.deltas().getFirst()).object();
            assertEquals("team-model", completion.getString("model"));
            assertTrue(completion.getJsonArray("choices").getJsonObject(0).containsKey("logprobs"));
            assertTrue(completion.containsKey("system_fingerprint"));
            assertEquals(FinishReason.STOP, ((ChatDelta.Finish) sink.deltas().get(1)).reason());
            assertTrue(sink.deltas().get(2) instanceof ChatDelta.Usage);
        }
    }

    @Test
    void aStreamPassesThroughChunkByChunk() {
        upstream.enqueue(Reply.text("a", "b", "c"));
        try (ApiFixture relay = relay(Map.of())) {
            RecordingSink sink = relay.chat("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":"
                                                    + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

            List<JsonObject> chunks = sink.deltas().stream()
                    .filter(ChatDelta.Passthrough.class::isInstance)
                    .map(delta -> ((ChatDelta.Passthrough) delta).object())
                    .toList();
            assertTrue(chunks.size() >= 5, "role, three deltas, finish, usage: " + chunks);
            assertTrue(chunks.stream().allMatch(chunk -> chunk.getString("object").equals("chat.completion.chunk")));
            assertTrue(upstream.requests().stream().filter(request -> request.method().equals("POST"))
                               .allMatch(RecordedRequest::stream));
            assertEquals(3, sink.completion().usage().orElseThrow().completionTokens());
        }
    }

    @Test
    void upstreamErrorsAreMapped() {
        upstream.defaultReply(Reply.rateLimited(3));
        try (ApiFixture relay = relay(Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> relay.chat(
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

            assertEquals(429, e.status());
            assertEquals(FailureKind.RATE_LIMITED, e.failureKind());
            assertEquals(3, e.retryAfter().orElseThrow().toSeconds());
            assertEquals(1, chatRequests());
        }
    }

    @Test
    void aHeldRoleChunkStillGoesFirst() {
        upstream.enqueue(Reply.text("a", "b"));
        try (ApiFixture relay = relay(Map.of())) {
            List<JsonObject> chunks = passthrough(relay.chat(STREAMED));

            JsonObject first = chunks.getFirst().getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
            assertEquals("assistant", first.getString("role"), "the role chunk is sent with the first content: " + chunks);
            assertEquals("a", chunks.get(1).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                    .getString("content"));
        }
    }

    @Test
    void anErrorRightAfterTheRoleChunkFailsBeforeTheFirstDelta() {
        upstream.defaultReply(Reply.streamError());
        try (ApiFixture relay = relay(Map.of())) {
            List<ChatDelta> seen = new ArrayList<>();
            GatewayException e = assertThrows(GatewayException.class, () -> relay.chat(
                    STREAMED, Instant.now().plusSeconds(30), seen::add));

            assertEquals(List.of(), seen, "the held role chunk never reached the client");
            assertEquals(502, e.status());
            assertEquals(FailureKind.SERVER, e.failureKind());
            assertEquals(1, chatRequests());
        }
    }

    @Test
    void aStreamOfOnlyTheRoleChunkStillEndsWithIt() {
        upstream.enqueue(Reply.malformed("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                                                 + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                                                 + "\"finish_reason\":null}]}\n\ndata: [DONE]\n\n"));
        try (ApiFixture relay = relay(Map.of())) {
            RecordingSink sink = relay.chat(STREAMED);

            assertEquals(1, passthrough(sink).size(), "held, then sent at [DONE]");
            assertTrue(sink.deltas().get(1) instanceof ChatDelta.Finish);
        }
    }

    @Test
    void aToolCallBeginsTheAnswer() {
        upstream.enqueue(Reply.toolUse("weather", Json.createObjectBuilder().add("city", "Oslo").build()));
        try (ApiFixture relay = relay(Map.of())) {
            RecordingSink sink = relay.chat(STREAMED);

            assertEquals(FinishReason.TOOL_CALLS, sink.completion().finishReason());
            assertTrue(passthrough(sink).get(1).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                               .containsKey("tool_calls"));
        }
    }

    @Test
    void anUnknownModelIsNotServed() {
        try (ApiFixture relay = relay(Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> relay.chat(
                    "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

            assertEquals(404, e.status());
        }
    }

    @Test
    void anUpstreamThatCannotListItsModelsIsDown() {
        try (ApiFixture relay = ApiFixture.start(Map.of("LLM_OPENAI_BASE_URL", "http://127.0.0.1:1"))) {
            assertEquals("DOWN", relay.backend().health().state().name());
            assertTrue(relay.backend().health().detail().contains("LLM_OPENAI_MODELS"));
        }
    }

    private long chatRequests() {
        return upstream.requests().stream().filter(request -> request.method().equals("POST")).count();
    }

    private static List<JsonObject> passthrough(RecordingSink sink) {
        return sink.deltas().stream()
                .filter(ChatDelta.Passthrough.class::isInstance)
                .map(delta -> ((ChatDelta.Passthrough) delta).object())
                .toList();
    }

    private ApiFixture relay(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "LLM_OPENAI_BASE_URL", upstream.baseUrl(), "LLM_OPENAI_API_KEY", "sk-upstream"));
        settings.putAll(extra);
        return ApiFixture.start(settings);
    }
}
