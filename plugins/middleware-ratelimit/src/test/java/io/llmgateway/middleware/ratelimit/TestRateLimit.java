package io.llmgateway.middleware.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.Role;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.testing.FakeTenantKeysFile;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.TestExchange;
import io.llmgateway.testing.TestPluginContext;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestRateLimit {

    @Test
    void offWithoutLimits() {
        try (TestPluginContext context = TestPluginContext.of(Map.of())) {
            assertTrue(new RateLimitProvider().create(context).isEmpty());
        }
    }

    @Test
    void ofFiftySimultaneousCallsExactlyTheLimitGetIn() throws Exception {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_RPM", "10"));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                outcomes.add(clients.submit(() -> {
                    go.await();
                    try {
                        call(limit, exchange(null), 10);
                        return 200;
                    } catch (GatewayException e) {
                        return e.status();
                    }
                }));
            }
            go.countDown();

            int admitted = 0;
            for (Future<Integer> outcome : outcomes) {
                admitted += outcome.get() == 200 ? 1 : 0;
            }
            assertEquals(10, admitted);
        }
    }

    @Test
    void answersCarryOpenAiHeadersAndRefusalsRetryAfter() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_RPM", "2", "LLM_RATE_LIMIT_TPM",
                                                                     "10000"))) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();

            TestExchange first = call(limit, exchange(null), 10);
            call(limit, exchange(null), 10);
            TestExchange third = exchange(null);
            GatewayException refused = assertThrows(GatewayException.class, () -> call(limit, third, 10));

            assertEquals("2", first.responseHeaders().get("x-ratelimit-limit-requests"));
            assertEquals("1", first.responseHeaders().get("x-ratelimit-remaining-requests"));
            assertTrue(first.responseHeaders().get("x-ratelimit-reset-requests").endsWith("s"));
            assertEquals("10000", first.responseHeaders().get("x-ratelimit-limit-tokens"));
            assertEquals(429, refused.status());
            assertEquals("requests", refused.type());
            assertEquals("rate_limit_exceeded", refused.code().orElseThrow());
            assertTrue(refused.retryAfter().orElseThrow().toSeconds() >= 29, "a request refills every 30 s");
            assertEquals("0", third.responseHeaders().get("x-ratelimit-remaining-requests"));
        }
    }

    @Test
    void tokensAreReservedThenCorrectedWithTheRealUsage() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_TPM", "1000"))) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();

            TestExchange first = call(limit, exchange(null, 400), 50);
            TestExchange second = call(limit, exchange(null, 400), 50);

            long reserved = 400 + 4 + 2; // max_tokens, one message's framing, "hello" (5 chars) / 4 rounded up
            assertEquals(1000 - reserved, remainingTokens(first));
            assertEquals(1000 - 50 - reserved, remainingTokens(second), "the first call's reservation was corrected to 50");
        }
    }

    @Test
    void aBurstCannotOvershootTheTokenLimit() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_TPM", "1000"))) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();
            TestExchange inFlight = exchange(null, 600);
            RecordingSink sink = new RecordingSink();

            limit.handle(inFlight, sink, next -> {
                // while this call runs, its reservation keeps a second large one out
                GatewayException e = assertThrows(GatewayException.class, () -> call(limit, exchange(null, 600), 10));
                assertEquals("tokens", e.type());
                next.emit(new ChatDelta.Text("done"));
                next.emit(new ChatDelta.Finish(FinishReason.STOP));
                next.emit(new ChatDelta.Usage(TokenUsage.of(5, 5)));
            });
        }
    }

    @Test
    void aCallThatFailsBeforeAnsweringGivesItsTokensBack() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_TPM", "1000"))) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();

            assertThrows(GatewayException.class, () -> limit.handle(exchange(null, 400), new RecordingSink(), next -> {
                throw GatewayException.badGateway("upstream down");
            }));
            TestExchange after = call(limit, exchange(null, 400), 10);

            assertEquals(1000 - 406, remainingTokens(after));
        }
    }

    @Test
    void aRequestLargerThanTheLimitIsRefusedAtOnce() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_TPM", "100"))) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();

            GatewayException e = assertThrows(GatewayException.class, () -> call(limit, exchange(null, 500), 10));

            assertEquals(429, e.status());
            assertTrue(e.getMessage().startsWith("Request too large"), e.getMessage());
        }
    }

    @Test
    void callersAreTenantsOrClientAddresses() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_RPM", "1"))) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();

            call(limit, exchange("team-a"), 1);
            call(limit, exchange("team-b"), 1);
            call(limit, exchange(null).clientAddress("10.0.0.1"), 1);
            call(limit, exchange(null).clientAddress("10.0.0.2"), 1);

            assertThrows(GatewayException.class, () -> call(limit, exchange("team-a"), 1));
            assertThrows(GatewayException.class, () -> call(limit, exchange(null).clientAddress("10.0.0.1"), 1));
            assertEquals(4.0, context.gauge("llm_ratelimit_callers"));
        }
    }

    @Test
    void tenantsGetTheirOwnLimitsFromTheKeysFile() {
        FakeTenantKeysFile keys = FakeTenantKeysFile.of("sk-a:team-a rpm=3\nsk-b:team-b\n");
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_RPM", "1")).tenantKeysFile(keys)) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();

            for (int i = 0; i < 3; i++) {
                call(limit, exchange("team-a"), 1);
            }
            call(limit, exchange("team-b"), 1);

            assertThrows(GatewayException.class, () -> call(limit, exchange("team-a"), 1));
            assertThrows(GatewayException.class, () -> call(limit, exchange("team-b"), 1));

            keys.change("sk-a:team-a\nsk-b:team-b\nsk-c:team-c rpm=2\n");
            call(limit, exchange("team-c"), 1);
            call(limit, exchange("team-c"), 1);
            assertThrows(GatewayException.class, () -> call(limit, exchange("team-c"), 1));
        }
    }

    @Test
    void unusableLimitsStopStartButAChangeToThemKeepsTheOnesInUse() {
        FakeTenantKeysFile bad = FakeTenantKeysFile.of("sk-a:team-a rpm=lots\n");
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_RPM", "1")).tenantKeysFile(bad)) {
            PluginConfigurationException e = assertThrows(PluginConfigurationException.class,
                                                          () -> new RateLimitProvider().create(context));
            assertEquals("LLM_API_KEYS_FILE /test/keys: tenant team-a's rpm must be a positive integer, got 'lots'",
                         e.getMessage());
        }
        FakeTenantKeysFile keys = FakeTenantKeysFile.of("sk-a:team-a rpm=2\n");
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_RATE_LIMIT_RPM", "1")).tenantKeysFile(keys)) {
            Middleware limit = new RateLimitProvider().create(context).orElseThrow();

            keys.change("sk-a:team-a rpm=0\n");

            call(limit, exchange("team-a"), 1);
            call(limit, exchange("team-a"), 1);
            assertThrows(GatewayException.class, () -> call(limit, exchange("team-a"), 1));
            assertTrue(context.logged().stream().anyMatch(line -> line.contains("keeping the per-tenant rate limits")),
                       context.logged()::toString);
        }
    }

    @Test
    void durationsAreWrittenTheWayOpenAiWritesThem() {
        assertEquals("20ms", OpenAiDurations.format(Duration.ofMillis(20)));
        assertEquals("1s", OpenAiDurations.format(Duration.ofSeconds(1)));
        assertEquals("1.5s", OpenAiDurations.format(Duration.ofMillis(1500)));
        assertEquals("6m0s", OpenAiDurations.format(Duration.ofMinutes(6)));
        assertEquals("1h2m3s", OpenAiDurations.format(Duration.ofSeconds(3723)));
    }

    /** Runs one call through the limiter to a backend that answers with the given total tokens. */
    private static TestExchange call(Middleware limit, TestExchange exchange, long totalTokens) {
        limit.handle(exchange, new RecordingSink(), next -> {
            next.emit(new ChatDelta.Text("answer"));
            next.emit(new ChatDelta.Finish(FinishReason.STOP));
            next.emit(new ChatDelta.Usage(TokenUsage.of(totalTokens / 2, totalTokens - totalTokens / 2)));
        });
        return exchange;
    }

    private static TestExchange exchange(String tenant) {
        return exchange(tenant, 10);
    }

    private static TestExchange exchange(String tenant, int maxTokens) {
        ChatRequest request = new ChatRequest("mock", List.of(ChatMessage.of(Role.USER, "hello")), OptionalInt.of(maxTokens),
                                              OptionalDouble.empty(), OptionalDouble.empty(), List.of(), false, false,
                                              Optional.empty(), OptionalLong.empty(), Map.of(), JsonValue.EMPTY_JSON_OBJECT);
        TestExchange exchange = new TestExchange(request, Instant.now().plusSeconds(10));
        if (tenant != null) {
            exchange.tenant(tenant);
        }
        return exchange;
    }

    private static long remainingTokens(TestExchange exchange) {
        return Long.parseLong(exchange.responseHeaders().get("x-ratelimit-remaining-tokens"));
    }
}
