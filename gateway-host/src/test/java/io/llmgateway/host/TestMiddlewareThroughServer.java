package io.llmgateway.host;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.llmgateway.backend.mock.MockBackendProvider;
import io.llmgateway.middleware.auth.AuthMiddlewareProvider;
import io.llmgateway.middleware.ratelimit.RateLimitProvider;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The middleware plugins through the real server over the mock backend, each alone.
 */
final class TestMiddlewareThroughServer {

    private static final String ASK = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    private static final String ASK_STREAMED = "{\"model\":\"mock\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    @Test
    void authRefusesMissingAndWrongKeysAndNamesTheTenant() {
        try (RunningGateway gateway = RunningGateway.start(Map.of("LLM_BACKEND", "mock", "LLM_API_KEYS", "sk-mw-team-a:mw-team-a"),
                                                           List.of(new MockBackendProvider()),
                                                           List.of(new AuthMiddlewareProvider()))) {
            HttpResponse<String> missing = gateway.chat(ASK);
            HttpResponse<String> wrong = gateway.chat(ASK, "authorization", "Bearer sk-team-b");
            HttpResponse<String> right = gateway.chat(ASK, "authorization", "Bearer sk-mw-team-a", "x-request-id", "auth-ok");

            for (HttpResponse<String> refused : List.of(missing, wrong)) {
                assertThat(refused.statusCode(), is(401));
                JsonObject error = TestGateways.json(refused.body()).getJsonObject("error");
                assertThat(error.getString("code"), is("invalid_api_key"));
                assertThat(refused.body(), not(containsString("sk-")));
                assertThat(refused.headers().firstValue("www-authenticate").orElseThrow(), is("Bearer"));
            }
            assertThat(right.statusCode(), is(200));
            assertThat(gateway.log().lineOf(gateway.gateway(), "auth-ok").getString("tenant"), is("mw-team-a"));
            assertThat(gateway.gateway().metrics().prometheus(), containsString("status=\"200\",tenant=\"mw-team-a\""));
            assertThat(gateway.log().lines(gateway.gateway()).toString(), not(containsString("sk-")));
        }
    }

    @Test
    void ofFiftySimultaneousRequestsAgainstALimitOfTenExactlyTenPass() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Map.of("LLM_BACKEND", "mock", "LLM_RATE_LIMIT_RPM", "10"),
                                                           List.of(new MockBackendProvider()),
                                                           List.of(new RateLimitProvider()));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                responses.add(clients.submit(() -> {
                    go.await();
                    return gateway.chat(ASK);
                }));
            }
            go.countDown();

            int passed = 0;
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get();
                assertThat(answer.headers().firstValue("x-ratelimit-limit-requests").orElseThrow(), is("10"));
                if (answer.statusCode() == 200) {
                    passed++;
                } else {
                    assertThat(answer.statusCode(), is(429));
                    assertThat(answer.headers().firstValue("retry-after").isPresent(), is(true));
                    assertThat(TestGateways.json(answer.body()).getJsonObject("error").getString("code"),
                               is("rate_limit_exceeded"));
                }
            }
            assertThat(passed, is(10));
        }
    }

    @Test
    void streamedAnswersCorrectTheirTokenReservation() {
        try (RunningGateway gateway = RunningGateway.start(Map.of("LLM_BACKEND", "mock", "LLM_RATE_LIMIT_TPM", "10000",
                                                                  "LLM_RATE_LIMIT_COMPLETION_ESTIMATE", "1000"),
                                                           List.of(new MockBackendProvider()),
                                                           List.of(new RateLimitProvider()))) {
            HttpResponse<String> first = gateway.chat(ASK_STREAMED);
            HttpResponse<String> second = gateway.chat(ASK_STREAMED);

            assertThat(first.headers().firstValue("content-type").orElseThrow(), startsWith("text/event-stream"));
            long reserved = 1000 + 4 + 2;
            long used = usageOf(first.body());
            assertThat(remainingTokens(first), is(10000 - reserved));
            // the first stream's reservation was corrected to what it really used before the second was admitted
            // (without the correction 7988 would be left; the bucket also refills 166 tokens a second)
            long remainingAfterSecond = remainingTokens(second);
            assertThat(remainingAfterSecond >= 10000 - used - reserved, is(true));
            assertThat(remainingAfterSecond < 10000 - used - reserved + 300, is(true));
        }
    }

    private static long remainingTokens(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
    }

    private static long usageOf(String stream) {
        return stream.lines()
                .filter(line -> line.startsWith("data: {") && line.contains("\"usage\":{"))
                .map(line -> TestGateways.json(line.substring(6)).getJsonObject("usage").getInt("total_tokens"))
                .findFirst()
                .orElseThrow();
    }
}
