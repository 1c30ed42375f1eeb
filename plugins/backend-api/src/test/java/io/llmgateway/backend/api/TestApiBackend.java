package io.llmgateway.backend.api;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.Reply;

import jakarta.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Anthropic path against a fake Messages API over real HTTP: translation both ways, streaming,
 * tool calls, and every failure mode, each failure after exactly one upstream attempt.
 */
final class TestApiBackend {

    private static final String ASK = "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String ASK_STREAMED = "{\"model\":\"claude-sonnet\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private FakeAnthropicApi api;
    private ApiFixture backend;

    @BeforeEach
    void start() {
        api = FakeAnthropicApi.start();
        backend = ApiFixture.start(Map.of("ANTHROPIC_API_KEY", "sk-secret-key", "ANTHROPIC_BASE_URL", api.baseUrl(),
                                          "LLM_MODEL_ALIASES", "claude-sonnet=claude-sonnet-test"));
    }

    @AfterEach
    void stop() {
        backend.close();
        api.close();
    }

    @Test
    void aWholeAnswerAndWhatTheUpstreamReceived() {
        ChatCompletion answer = backend.chat(ASK).completion();

        assertEquals("Hello from the fake Anthropic API.", answer.text());
        assertEquals(FinishReason.STOP, answer.finishReason());
        assertTrue(answer.usage().orElseThrow().promptTokens() > 0);
        RecordedRequest upstream = api.requests().getFirst();
        assertEquals("/v1/messages", upstream.path());
        assertEquals("sk-secret-key", upstream.header("x-api-key"));
        assertEquals("2023-06-01", upstream.header("anthropic-version"));
        assertEquals("claude-sonnet-test", upstream.model(), "the alias table");
        assertEquals(4096, upstream.body().getInt("max_tokens"));
        assertFalse(upstream.stream());
    }

    @Test
    void aStreamIsTranslatedAsItArrives() {
        api.enqueue(Reply.text("one ", "two ", "three").withGap(Duration.ofMillis(150)));
        List<Long> arrivals = new ArrayList<>();

        RecordingSink sink = backend.chat(ASK_STREAMED, Instant.now().plusSeconds(30), delta -> {
            if (delta instanceof ChatDelta.Text) {
                arrivals.add(System.nanoTime());
            }
        });

        assertEquals("one two three", sink.completion().text());
        assertTrue(api.requests().getFirst().stream());
        assertTrue(arrivals.getLast() - arrivals.getFirst() >= Duration.ofMillis(250).toNanos(),
                   "deltas were passed on as they arrived, not at the end");
        assertTrue(sink.deltas().getLast() instanceof ChatDelta.Usage);
    }

    @Test
    void toolUseBecomesToolCallsBothWays() {
        var input = Json.createObjectBuilder().add("city", "Oslo").build();
        api.enqueue(Reply.toolUse("weather", input), Reply.toolUse("weather", input));

        ChatCompletion whole = backend.chat(ASK).completion();
        ChatCompletion streamed = backend.chat(ASK_STREAMED).completion();

        for (ChatCompletion answer : List.of(whole, streamed)) {
            assertEquals(FinishReason.TOOL_CALLS, answer.finishReason());
            assertEquals("weather", answer.toolCalls().getFirst().name());
            assertEquals("Oslo", Requests.json(answer.toolCalls().getFirst().arguments()).getString("city"));
            assertTrue(answer.toolCalls().getFirst().id().startsWith("toolu_"));
        }
    }

    @Test
    void aServerErrorIsNotRetried() {
        api.enqueue(Reply.apiError());

        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

        assertEquals(502, e.status());
        assertEquals(FailureKind.SERVER, e.failureKind());
        assertEquals(1, api.requestCount(), "the router retries, not the backend");
        assertEquals("Hello from the fake Anthropic API.", backend.chat(ASK).completion().text(), "the next call");
    }

    @Test
    void anOverloadedUpstreamIs503AtOnce() {
        api.defaultReply(Reply.overloaded());

        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

        assertEquals(503, e.status());
        assertEquals(FailureKind.OVERLOADED, e.failureKind());
        assertTrue(e.retryAfter().isEmpty(), "no retry-after is invented: the router and the SDK back off on their own");
        assertEquals(1, api.requestCount(), "one attempt: 529 no longer becomes three upstream calls");
    }

    @Test
    void aRateLimitIs429WithTheUpstreamsRetryAfterWithoutWaiting() {
        api.defaultReply(Reply.rateLimited(30));
        long started = System.nanoTime();

        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

        assertEquals(429, e.status());
        assertEquals(FailureKind.RATE_LIMITED, e.failureKind());
        assertEquals(Duration.ofSeconds(30), e.retryAfter().orElseThrow());
        assertEquals(1, api.requestCount());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "no wait for retry-after");
    }

    @Test
    void aBadRequestPassesTheUpstreamsMessageWithoutRetrying() {
        api.enqueue(Reply.invalidRequest("messages: text content blocks must be non-empty"));

        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

        assertEquals(400, e.status());
        assertEquals(FailureKind.INVALID_REQUEST, e.failureKind());
        assertTrue(e.getMessage().contains("text content blocks must be non-empty"), e.getMessage());
        assertEquals(1, api.requestCount());
    }

    @Test
    void aRejectedKeyIs502WithoutTheKey() {
        api.enqueue(Reply.authenticationError());

        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

        assertEquals(502, e.status());
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, e.failureKind(), "the gateway's key, not a passing fault");
        assertFalse(e.getMessage().contains("sk-secret-key"));
        assertTrue(e.getMessage().contains("credentials"), e.getMessage());
        assertEquals(1, api.requestCount());
    }

    @Test
    void aHangingUpstreamTimesOutAt504() {
        api.defaultReply(Reply.hang());
        long started = System.nanoTime();

        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(
                ASK_STREAMED, Instant.now().plusSeconds(1), delta -> { }));

        assertEquals(504, e.status());
        assertEquals(FailureKind.TIMEOUT, e.failureKind());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
        assertEquals(1, api.requestCount());
    }

    @Test
    void aStreamThatStallsPastTheDeadlineEndsWith504() {
        api.enqueue(Reply.text("first ", "second ", "third").withGap(Duration.ofSeconds(3)));
        long started = System.nanoTime();

        List<ChatDelta> seen = new ArrayList<>();
        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(
                ASK_STREAMED, Instant.now().plusMillis(1500), seen::add));

        assertEquals(504, e.status());
        long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(tookMillis >= 1400 && tookMillis < 2900, "ended at the deadline, not the next delta: " + tookMillis);
        assertFalse(seen.isEmpty(), "the first delta arrived before the stall");
    }

    @Test
    void aStreamCutAfterItsFirstDeltasEndsWithAnError() {
        api.enqueue(Reply.cut("partial ", "answer"));

        List<ChatDelta> seen = new ArrayList<>();
        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(
                ASK_STREAMED, Instant.now().plusSeconds(30), seen::add));

        assertEquals(502, e.status());
        assertFalse(seen.isEmpty(), "the client had part of the answer");
        assertEquals(1, api.requestCount(), "no retry once the client saw something");
    }

    @Test
    void aStreamCutBeforeItsFirstDeltaFailsWithNothingEmitted() {
        api.enqueue(Reply.cut());

        List<ChatDelta> seen = new ArrayList<>();
        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(
                ASK_STREAMED, Instant.now().plusSeconds(30), seen::add));

        assertEquals(502, e.status());
        assertEquals(FailureKind.SERVER, e.failureKind());
        assertEquals(List.of(), seen, "message_start and content_block_start are not deltas");
        assertEquals(1, api.requestCount());
    }

    @Test
    void anErrorEventMidStreamEndsWithTheMappedError() {
        api.enqueue(Reply.streamError("so far "));

        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK_STREAMED));

        assertEquals(503, e.status());
        assertEquals(FailureKind.OVERLOADED, e.failureKind());
    }

    @Test
    void malformedJsonIs502() {
        api.defaultReply(Reply.malformed());

        GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

        assertEquals(502, e.status());
        assertEquals(FailureKind.SERVER, e.failureKind());
        assertEquals(1, api.requestCount());
    }

    @Test
    void aClientThatLeavesAbortsTheUpstreamCall() throws Exception {
        api.enqueue(Reply.text("a ", "b ", "c ", "d ", "e ", "f").withGap(Duration.ofMillis(200)));

        assertThrows(ClientDisconnectedException.class, () -> backend.chat(ASK_STREAMED, Instant.now().plusSeconds(30),
                                                                           delta -> {
            if (delta instanceof ChatDelta.Text) {
                throw new ClientDisconnectedException(new IOException("gone"));
            }
        }));

        RecordedRequest upstream = api.requests().getFirst();
        assertTrue(upstream.awaitFinished(Duration.ofSeconds(5)));
        assertTrue(upstream.clientDisconnected(), "the upstream call was aborted");
    }

    @Test
    void modelsAndRouting() {
        List<String> ids = backend.backend().models().stream().map(ModelInfo::id).toList();

        assertTrue(ids.containsAll(List.of("claude-sonnet", "claude-opus", "claude-haiku")));
        assertTrue(backend.backend().serves("claude-3-5-haiku-20241022"));
        assertFalse(backend.backend().serves("gpt-4o"));
    }

    @Test
    void withoutAnyUpstreamTheBackendDoesNotStart() {
        PluginConfigurationException e = assertThrows(PluginConfigurationException.class,
                                                      () -> ApiFixture.start(Map.of()));

        assertTrue(e.getMessage().contains("ANTHROPIC_API_KEY"), e.getMessage());
    }

    @Test
    void usageCountsCacheTokensAsPrompt() {
        api.enqueue(Reply.text("cached").withUsage(new Reply.Usage(10, 3, 90, 5)));

        assertEquals(new TokenUsage(105, 3, 90), backend.chat(ASK).completion().usage().orElseThrow());
    }
}
