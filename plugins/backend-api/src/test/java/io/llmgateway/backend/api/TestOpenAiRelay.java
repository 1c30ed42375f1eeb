package io.llmgateway.backend.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.testing.FakeOpenAiApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.Reply;

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
        try (ApiFixture relay = relay(Map.of("LLM_API_MAX_RETRIES", "0"))) {
            GatewayException e = assertThrows(GatewayException.class, () -> relay.chat(
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

            assertEquals(429, e.status());
            assertEquals(3, e.retryAfter().orElseThrow().toSeconds());
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

    private ApiFixture relay(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "LLM_OPENAI_BASE_URL", upstream.baseUrl(), "LLM_OPENAI_API_KEY", "sk-upstream"));
        settings.putAll(extra);
        return ApiFixture.start(settings);
    }
}
