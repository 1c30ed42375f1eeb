package io.llmgateway.anthropic;

import java.time.Duration;

import io.llmgateway.api.GatewayException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anthropic's error types and statuses as the client's errors.
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

    private static GatewayException error(int status) {
        return AnthropicErrors.fromStatus("Anthropic", status, "detail", RETRY);
    }
}
