package io.llmgateway.anthropic;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anthropic's error types and statuses as the client's errors, and what each means for the deployment.
 */
final class TestAnthropicErrors {

    private static final Duration RETRY = Duration.ofSeconds(7);

    @Test
    void errorTypesHaveTheirDocumentedStatus() {
        assertEquals(400, AnthropicErrors.statusOf("invalid_request_error"));
        assertEquals(401, AnthropicErrors.statusOf("authentication_error"));
        assertEquals(402, AnthropicErrors.statusOf("billing_error"));
        assertEquals(403, AnthropicErrors.statusOf("permission_error"));
        assertEquals(404, AnthropicErrors.statusOf("not_found_error"));
        assertEquals(413, AnthropicErrors.statusOf("request_too_large"));
        assertEquals(429, AnthropicErrors.statusOf("rate_limit_error"));
        assertEquals(500, AnthropicErrors.statusOf("api_error"));
        assertEquals(504, AnthropicErrors.statusOf("timeout_error"));
        assertEquals(529, AnthropicErrors.statusOf("overloaded_error"));
        assertEquals(500, AnthropicErrors.statusOf("an_error_from_the_future"));
    }

    @Test
    void statusesBecomeTheClientsErrors() {
        GatewayException rejected = error(400);
        assertEquals(400, rejected.status());
        assertEquals("upstream_rejected", rejected.code().orElseThrow());
        assertEquals("Anthropic rejected the request: detail", rejected.getMessage());
        assertEquals(400, error(413).status());
        assertEquals(404, error(404).status());
        assertEquals(502, error(401).status(), "the gateway's own key, not the client's");
        assertFalse(error(403).getMessage().contains("detail"), "a credentials message says what to check");
        GatewayException limited = error(429);
        assertEquals(429, limited.status());
        assertEquals(RETRY, limited.retryAfter().orElseThrow());
        assertEquals(503, error(529).status());
        assertEquals(RETRY, error(529).retryAfter().orElseThrow());
        assertEquals(503, error(503).status());
        assertEquals(502, error(500).status());
        assertEquals(502, error(504).status());
    }

    @Test
    void overloadAndInternalErrorsAreTransient() {
        assertTrue(AnthropicErrors.isTransient("overloaded_error"));
        assertTrue(AnthropicErrors.isTransient("api_error"));
        assertFalse(AnthropicErrors.isTransient("invalid_request_error"));
        assertFalse(AnthropicErrors.isTransient("rate_limit_error"));
    }

    @Test
    void errorTypesHaveTheirFailureKind() {
        assertEquals(FailureKind.INVALID_REQUEST, AnthropicErrors.kindOf("invalid_request_error"));
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, AnthropicErrors.kindOf("authentication_error"));
        assertEquals(FailureKind.QUOTA_EXHAUSTED, AnthropicErrors.kindOf("billing_error"));
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, AnthropicErrors.kindOf("permission_error"));
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, AnthropicErrors.kindOf("not_found_error"));
        assertEquals(FailureKind.INVALID_REQUEST, AnthropicErrors.kindOf("request_too_large"));
        assertEquals(FailureKind.RATE_LIMITED, AnthropicErrors.kindOf("rate_limit_error"));
        assertEquals(FailureKind.SERVER, AnthropicErrors.kindOf("api_error"));
        assertEquals(FailureKind.TIMEOUT, AnthropicErrors.kindOf("timeout_error"));
        assertEquals(FailureKind.OVERLOADED, AnthropicErrors.kindOf("overloaded_error"));
        assertEquals(FailureKind.SERVER, AnthropicErrors.kindOf("an_error_from_the_future"));
    }

    @Test
    void aTypesStatusHasTheTypesKind() {
        for (String type : List.of("invalid_request_error", "authentication_error", "billing_error", "permission_error",
                                   "not_found_error", "request_too_large", "rate_limit_error", "api_error",
                                   "timeout_error", "overloaded_error", "an_error_from_the_future")) {
            assertEquals(AnthropicErrors.kindOf(type), classified(AnthropicErrors.statusOf(type), "detail").failureKind(),
                         type);
        }
    }

    @Test
    void statusesAreClassifiedWhereTheStatusAloneWouldMislead() {
        GatewayException credentials = classified(401, "invalid x-api-key");
        assertEquals(502, credentials.status(), "still the operator's problem, not the client's");
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, credentials.failureKind());
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, classified(403, "not allowed").failureKind());
        GatewayException unknownModel = classified(404, "model: claude-nope");
        assertEquals(404, unknownModel.status());
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, unknownModel.failureKind());
        assertEquals(FailureKind.RATE_LIMITED, classified(429, "slow down").failureKind());
        assertEquals(RETRY, classified(429, "slow down").retryAfter().orElseThrow());
        assertEquals(FailureKind.OVERLOADED, classified(529, "Overloaded").failureKind());
        assertEquals(RETRY, classified(529, "Overloaded").retryAfter().orElseThrow());
        assertEquals(FailureKind.SERVER, classified(500, "oops").failureKind());
        assertEquals(FailureKind.INVALID_REQUEST, classified(400, "messages: must be non-empty").failureKind());
    }

    @Test
    void aPromptTooLongIsAContextWindowError() {
        for (String detail : List.of("prompt is too long: 210000 tokens > 200000 maximum",
                                     "input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000",
                                     "This model's maximum context length is 4096 tokens. However, you requested 5000",
                                     "The input (5000 tokens) is longer than the model's context length (4096 tokens).")) {
            GatewayException e = classified(400, detail);

            assertEquals(400, e.status(), detail);
            assertEquals(Optional.of("context_length_exceeded"), e.code(), detail);
            assertEquals(FailureKind.CONTEXT_WINDOW, e.failureKind(), detail);
            assertTrue(e.getMessage().endsWith(detail), e.getMessage());
            assertTrue(AnthropicErrors.saysContextWindow(detail));
        }
        assertFalse(AnthropicErrors.saysContextWindow("messages: text content blocks must be non-empty"));
    }

    @Test
    void anAccountOutOfCreditIsQuotaExhausted() {
        for (GatewayException e : List.of(classified(400, "Your credit balance is too low to access the Anthropic API."),
                                          classified(402, "billing problem"))) {
            assertEquals(429, e.status(), e.getMessage());
            assertEquals(Optional.of("insufficient_quota"), e.code());
            assertEquals(FailureKind.QUOTA_EXHAUSTED, e.failureKind());
            assertEquals(Optional.empty(), e.retryAfter(), "credit does not come back in seconds");
        }
    }

    @Test
    void fromStatusIsUnchanged() {
        GatewayException e = error(400);

        assertEquals("upstream_rejected", e.code().orElseThrow());
        assertEquals(502, error(401).status());
        assertEquals(FailureKind.SERVER, error(401).failureKind(), "fromStatus leaves classification to fromError");
    }

    private static GatewayException classified(int status, String detail) {
        return AnthropicErrors.fromError("Anthropic", status, detail, Optional.of(RETRY));
    }

    private static GatewayException error(int status) {
        return AnthropicErrors.fromStatus("Anthropic", status, "detail", Optional.of(RETRY));
    }
}
