package io.llmgateway.host;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.llmgateway.backend.mock.MockBackendProvider;
import io.llmgateway.middleware.auth.AuthMiddlewareProvider;
import io.llmgateway.middleware.cache.CacheMiddlewareProvider;
import io.llmgateway.middleware.ratelimit.RateLimitProvider;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The response cache through the real server over the mock backend: a second identical request is a
 * hit whichever way it asks for the answer, tenants keep their own entries, and a refused caller never
 * reaches the cache. Its tenants are named for this class alone: every gateway in the test JVM exports
 * the same meters, and TestChatCompletions counts requests of tenant team-a.
 */
final class TestCacheThroughServer {

    private static final String ASK = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"cache me\"}]}";
    /** The same request with its keys in another order, other whitespace, and streamed with usage. */
    private static final String ASK_STREAMED = "{ \"stream\": true, \"stream_options\": {\"include_usage\": true},\n"
            + "  \"messages\": [ {\"content\": \"cache me\", \"role\": \"user\"} ], \"model\": \"mock\" }";

    @Test
    void aRepeatedRequestIsAHitStreamedOrNot() {
        try (RunningGateway gateway = RunningGateway.start(Map.of("LLM_BACKEND", "mock", "LLM_CACHE_TTL", "60"),
                                                           List.of(new MockBackendProvider()),
                                                           List.of(new CacheMiddlewareProvider()))) {
            HttpResponse<String> miss = gateway.chat(ASK, "x-request-id", "cache-miss");
            HttpResponse<String> hit = gateway.chat(ASK, "x-request-id", "cache-hit");
            HttpResponse<String> streamedHit = gateway.chat(ASK_STREAMED);
            HttpResponse<String> bypass = gateway.chat(ASK, "cache-control", "no-cache");

            assertThat(miss.statusCode(), is(200));
            assertThat(miss.headers().firstValue("x-cache").orElseThrow(), is("MISS"));
            assertThat(hit.headers().firstValue("x-cache").orElseThrow(), is("HIT"));
            assertThat(streamedHit.headers().firstValue("x-cache").orElseThrow(), is("HIT"));
            assertThat(bypass.headers().firstValue("x-cache").orElseThrow(), is("BYPASS"));

            JsonObject first = TestGateways.json(miss.body());
            JsonObject second = TestGateways.json(hit.body());
            assertThat(second.getJsonArray("choices"), is(first.getJsonArray("choices")));
            assertThat(second.getJsonObject("usage"), is(first.getJsonObject("usage")));
            assertThat(second.getString("id"), not(is(first.getString("id"))));

            assertThat(streamedHit.headers().firstValue("content-type").orElseThrow(), startsWith("text/event-stream"));
            assertThat(streamedHit.body(), endsWith("data: [DONE]\n\n"));
            assertThat(streamedText(streamedHit.body()), is(first.getJsonArray("choices").getJsonObject(0)
                                                                  .getJsonObject("message").getString("content")));
            assertThat(streamedHit.body(), containsString("\"usage\":{\"prompt_tokens\":"));

            assertThat(gateway.log().lineOf(gateway.gateway(), "cache-miss").getString("cache"), is("miss"));
            assertThat(gateway.log().lineOf(gateway.gateway(), "cache-hit").getString("cache"), is("hit"));
            String metrics = gateway.gateway().metrics().prometheus();
            assertThat(metrics, containsString("llm_cache_hits_total{model=\"mock\",scope=\"application\",tenant=\"none\",} 2.0"));
            assertThat(metrics, containsString("llm_cache_misses_total{model=\"mock\",scope=\"application\",tenant=\"none\",} 1.0"));
        }
    }

    @Test
    void tenantsHaveTheirOwnEntriesAndARefusedCallerNeverReachesTheCache() {
        try (RunningGateway gateway = RunningGateway.start(
                Map.of("LLM_BACKEND", "mock", "LLM_CACHE_TTL", "60", "LLM_API_KEYS", "sk-a:cache-team-a,sk-b:cache-team-b",
                       "LLM_RATE_LIMIT_RPM", "100"),
                List.of(new MockBackendProvider()),
                List.of(new CacheMiddlewareProvider(), new AuthMiddlewareProvider(), new RateLimitProvider()))) {
            HttpResponse<String> teamA = gateway.chat(ASK, "authorization", "Bearer sk-a");
            HttpResponse<String> teamB = gateway.chat(ASK, "authorization", "Bearer sk-b");
            HttpResponse<String> teamAAgain = gateway.chat(ASK, "authorization", "Bearer sk-a");
            HttpResponse<String> refused = gateway.chat(ASK);

            assertThat(teamA.headers().firstValue("x-cache").orElseThrow(), is("MISS"));
            assertThat(teamB.headers().firstValue("x-cache").orElseThrow(), is("MISS"));
            assertThat(teamAAgain.headers().firstValue("x-cache").orElseThrow(), is("HIT"));
            assertThat(refused.statusCode(), is(401));
            assertThat(refused.headers().firstValue("x-cache").isPresent(), is(false));
            // a hit still passed the rate limit: it is counted against the caller's requests
            assertThat(teamAAgain.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow(), is("98"));
            assertThat(gateway.gateway().metrics().prometheus(),
                       containsString("llm_cache_hits_total{model=\"mock\",scope=\"application\",tenant=\"cache-team-a\",} 1.0"));
        }
    }

    private static String streamedText(String events) {
        StringBuilder text = new StringBuilder();
        events.lines()
                .filter(line -> line.startsWith("data: {"))
                .map(line -> TestGateways.json(line.substring(6)).getJsonArray("choices"))
                .filter(choices -> !choices.isEmpty())
                .map(choices -> choices.getJsonObject(0).getJsonObject("delta"))
                .filter(delta -> delta.containsKey("content"))
                .forEach(delta -> text.append(delta.getString("content")));
        return text.toString();
    }
}
