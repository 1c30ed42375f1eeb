package io.llmgateway.e2e;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution as shipped with all three middleware configured (API keys, a request limit, the response
 * cache), called through the OpenAI Java SDK as a team would: the SDK's own exceptions for refusals, the
 * OpenAI headers on answers, cached answers in both forms. Each test uses a tenant of its own, so the limit
 * and the cache of one do not reach another.
 */
final class TestMiddlewareGateway {

    private static final int REQUESTS_PER_MINUTE = 5;

    private static GatewayProcess gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = GatewayProcess.start("middleware-gateway", Map.of(
                "LLM_API_KEYS", "sk-cache:team-cache,sk-limit:team-limit,sk-log:team-log",
                "LLM_RATE_LIMIT_RPM", Integer.toString(REQUESTS_PER_MINUTE),
                "LLM_CACHE_TTL", "600"));
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aWrongKeyIsTheSdksUnauthorizedException() {
        // (the SDK sends no request without a key; a missing one is TestMiddlewareThroughServer's)
        ChatCompletionCreateParams ask = Chat.ask("mock", "Who am I?");

        UnauthorizedException wrong = assertThrows(UnauthorizedException.class,
                                                   () -> as("sk-wrong").chat().completions().create(ask));
        assertEquals(401, wrong.statusCode());
        assertEquals("invalid_api_key", wrong.code().orElseThrow());
        assertFalse(wrong.getMessage().contains("sk-wrong"), wrong::getMessage);
    }

    @Test
    void aRepeatedQuestionIsServedFromTheCacheAsJsonAndAsAStream() {
        OpenAIClient client = as("sk-cache");
        ChatCompletionCreateParams ask = Chat.ask("mock", "Cache me " + UUID.randomUUID());

        String first;
        try (HttpResponseFor<ChatCompletion> miss = client.chat().completions().withRawResponse().create(ask)) {
            assertEquals(List.of("MISS"), miss.headers().values("x-cache"));
            first = Chat.content(miss.parse());
        }
        try (HttpResponseFor<ChatCompletion> hit = client.chat().completions().withRawResponse().create(ask)) {
            assertEquals(List.of("HIT"), hit.headers().values("x-cache"));
            assertEquals(first, Chat.content(hit.parse()));
        }
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> streamed =
                     client.chat().completions().withRawResponse().createStreaming(ask);
             StreamResponse<ChatCompletionChunk> chunks = streamed.parse()) {
            assertEquals(List.of("HIT"), streamed.headers().values("x-cache"));
            StringBuilder text = new StringBuilder();
            chunks.stream().forEach(chunk -> chunk.choices().forEach(
                    choice -> choice.delta().content().ifPresent(text::append)));
            assertEquals(first, text.toString());
        }
    }

    @Test
    void pastTheLimitTheSdkGetsItsRateLimitExceptionWithRetryAfter() {
        OpenAIClient client = as("sk-limit");
        for (int i = 0; i < REQUESTS_PER_MINUTE; i++) {
            // different questions: the cache must not answer for the limit
            try (HttpResponseFor<ChatCompletion> admitted = client.chat().completions().withRawResponse()
                    .create(Chat.ask("mock", "Question " + i + " " + UUID.randomUUID()))) {
                assertEquals(200, admitted.statusCode());
                assertEquals(List.of(Integer.toString(REQUESTS_PER_MINUTE)),
                             admitted.headers().values("x-ratelimit-limit-requests"));
                assertEquals(List.of(Integer.toString(REQUESTS_PER_MINUTE - 1 - i)),
                             admitted.headers().values("x-ratelimit-remaining-requests"));
            }
        }

        RateLimitException refused = assertThrows(RateLimitException.class, () -> client.chat().completions()
                .create(Chat.ask("mock", "One too many " + UUID.randomUUID())));
        assertEquals(429, refused.statusCode());
        assertEquals("rate_limit_exceeded", refused.code().orElseThrow());
        int retryAfter = Integer.parseInt(refused.headers().values("retry-after").getFirst());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, () -> "retry-after " + retryAfter);
    }

    @Test
    void theRequestLogNamesTheTenantAndNeverTheKey() throws Exception {
        String question = "Log me " + UUID.randomUUID();
        as("sk-log").chat().completions().create(Chat.ask("mock", question));

        List<String> lines = gateway.awaitStdoutLines(line -> line.contains("\"tenant\":\"team-log\""));
        assertTrue(lines.stream().anyMatch(line -> line.contains("\"cache\":\"miss\"")), lines::toString);
        assertTrue(gateway.stdoutLines().stream().noneMatch(line -> line.contains("sk-")), "a key reached the log");
    }

    private static OpenAIClient as(String apiKey) {
        return gateway.client().withOptions(options -> options.apiKey(apiKey));
    }
}
