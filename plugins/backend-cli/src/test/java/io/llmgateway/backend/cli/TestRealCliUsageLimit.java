package io.llmgateway.backend.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.Reply;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The usage limit as the real {@code claude} binary reports it ({@code LLM_TEST_CLAUDE}; skipped without it), logged
 * in with a subscription token against the fake Anthropic API, which answers 429 with the
 * {@code anthropic-ratelimit-unified-*} headers the real API sends when the subscription's allowance is used up.
 */
final class TestRealCliUsageLimit {

    @TempDir
    Path dir;
    private final FakeAnthropicApi api = FakeAnthropicApi.start();

    @BeforeEach
    void needsClaude() {
        assumeTrue(CliFixture.realClaude().isPresent(), "LLM_TEST_CLAUDE names no claude binary: real-CLI tests skipped");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void thePlainRateLimitPassesTheUsageLimitHoldsUntilItsReset() throws Exception {
        long resetsAt = Instant.now().getEpochSecond() + 6;
        // a 429 without the unified headers: the CLI reports it as rejected too, but with no reset time
        api.enqueue(Reply.rateLimited(7), usageLimit(resetsAt));
        try (CliFixture cli = CliFixture.startRealSubscription(dir, api, Map.of()).awaitUp()) {
            GatewayException limited = assertThrows(GatewayException.class, () -> cli.chat("first"));
            assertEquals(429, limited.status());
            assertEquals(FailureKind.RATE_LIMITED, limited.failureKind(), limited.getMessage());

            List<ChatDelta> seen = new CopyOnWriteArrayList<>();
            GatewayException refused = assertThrows(GatewayException.class, () -> cli.chat(
                    CliFixture.streamed("second"), Instant.now().plusSeconds(30), seen::add));
            assertEquals(List.of(), seen, "nothing reached the stream, the CLI's notice least of all");
            assertEquals(FailureKind.QUOTA_EXHAUSTED, refused.failureKind(), refused.getMessage());
            assertEquals(Optional.of("usage_limit_reached"), refused.code());
            assertTrue(refused.getMessage().contains("5-hour usage limit; it resets at " + Instant.ofEpochSecond(resetsAt)),
                       refused.getMessage());
            long retryAfter = refused.retryAfter().orElseThrow().toSeconds();
            assertTrue(retryAfter >= 1 && retryAfter <= 7, "Retry-After " + retryAfter);

            long upstreamCalls = api.requestCount();
            GatewayException atOnce = assertThrows(GatewayException.class, () -> cli.chat("third"));
            assertEquals(FailureKind.QUOTA_EXHAUSTED, atOnce.failureKind());
            assertEquals(upstreamCalls, api.requestCount(), "refused without a turn");

            Thread.sleep(Math.max(0, resetsAt * 1000 - System.currentTimeMillis() + 100));
            assertEquals(FakeAnthropicApi.DEFAULT_REPLY.text(), cli.chat("after the reset").text());
            assertEquals(0, cli.counter("llm_cli_recycles_total"), "no session was replaced");
        }
    }

    /** The real API's answer once the subscription's five-hour allowance is used up (and no paid overage). */
    private static Reply usageLimit(long resetsAt) {
        String reset = Long.toString(resetsAt);
        return new Reply.HttpError(429, "rate_limit_error",
                                   "This request would exceed your account's rate limit. Please try again later.", Map.of())
                .withHeader("anthropic-ratelimit-unified-status", "rejected")
                .withHeader("anthropic-ratelimit-unified-reset", reset)
                .withHeader("anthropic-ratelimit-unified-representative-claim", "five_hour")
                .withHeader("anthropic-ratelimit-unified-5h-status", "rejected")
                .withHeader("anthropic-ratelimit-unified-5h-reset", reset)
                .withHeader("anthropic-ratelimit-unified-5h-utilization", "1.0")
                .withHeader("anthropic-ratelimit-unified-overage-status", "rejected")
                .withHeader("anthropic-ratelimit-unified-overage-disabled-reason", "org_level_disabled")
                .withHeader("retry-after", Long.toString(resetsAt - Instant.now().getEpochSecond()));
    }
}
