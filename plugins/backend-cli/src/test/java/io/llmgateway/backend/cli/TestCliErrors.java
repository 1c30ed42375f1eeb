package io.llmgateway.backend.cli;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How failed turns are classified for the router, on the lines the real CLI (2.1.328) wrote against a fake API
 * answering with each failure (trimmed to the fields read here; see the README's findings).
 */
final class TestCliErrors {

    private static final Duration RETRY = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.ofEpochSecond(1_796_315_836L);
    private static final long RESETS_AT = 1_796_319_436L;

    @Test
    void theFiveHourLimitAsTheCliReportsIt() {
        Optional<RateLimitInfo> reported = RateLimitInfo.of(json("""
                {"status":"rejected","resetsAt":1796319436,"rateLimitType":"five_hour","overageStatus":"rejected",
                 "overageDisabledReason":"org_level_disabled","isUsingOverage":false,
                 "unifiedWindows":{"five_hour":{"utilization":1,"resetsAt":1796319436,"status":"rejected"}}}"""));
        JsonObject notice = json("""
                {"type":"assistant","message":{"model":"<synthetic>","content":[{"type":"text",
                 "text":"You've hit your 5-hour limit \u00b7 resets 5:37pm (UTC)"}]},"error":"rate_limit",
                 "is_api_error_message":true,"api_error_status":429,"api_error":"usage_limit_reached",
                 "api_error_params":{"rate_limit_info":{"status":"rejected","resetsAt":1796319436,
                 "rateLimitType":"five_hour"}},"api_error_type":"rate_limit_error"}""");
        JsonObject result = json("""
                {"type":"result","subtype":"success","is_error":true,"api_error_status":429,
                 "api_error_type":"rate_limit_error","api_error":"usage_limit_reached",
                 "result":"You've hit your 5-hour limit \u00b7 resets 5:37pm (UTC)","terminal_reason":"api_error"}""");

        UsageLimit limit = UsageLimit.ofRefusedTurn(result, notice, reported, NOW, RETRY).orElseThrow();
        assertEquals(new UsageLimit(Instant.ofEpochSecond(RESETS_AT), Optional.of("five_hour")), limit);
        GatewayException failure = limit.failure(NOW);
        assertEquals(429, failure.status());
        assertEquals("insufficient_quota", failure.type());
        assertEquals(Optional.of("usage_limit_reached"), failure.code());
        assertEquals(FailureKind.QUOTA_EXHAUSTED, failure.failureKind());
        assertEquals(Duration.ofSeconds(3600), failure.retryAfter().orElseThrow());
        assertEquals("The Claude subscription of the gateway's cli backend has reached its 5-hour usage limit; it"
                             + " resets at 2026-12-03T17:37:16Z (in 60 min)", failure.getMessage());

        // a process's second refusal: no rate_limit_event (the allowance did not change), the notice says it all
        assertEquals(limit, UsageLimit.ofRefusedTurn(result, notice, Optional.empty(), NOW, RETRY).orElseThrow());
    }

    @Test
    void theResultAloneAndOlderClisWords() {
        JsonObject weekly = json("""
                {"type":"result","is_error":true,"api_error_status":429,"api_error":"usage_limit_reached",
                 "result":"You've hit your weekly limit \u00b7 resets Dec 6, 4:37pm (UTC)"}""");
        UsageLimit unknownReset = UsageLimit.ofRefusedTurn(weekly, JsonValue.EMPTY_JSON_OBJECT, Optional.empty(), NOW,
                                                           RETRY).orElseThrow();
        assertEquals(NOW.plus(RETRY), unknownReset.resetsAt(), "no reset time in the lines: hold for LLM_CLI_RETRY_AFTER");

        JsonObject older = json("""
                {"type":"result","subtype":"success","is_error":true,"result":"Claude AI usage limit reached|1796319436"}""");
        UsageLimit limit = UsageLimit.ofRefusedTurn(older, JsonValue.EMPTY_JSON_OBJECT, Optional.empty(), NOW, RETRY)
                .orElseThrow();
        assertEquals(Instant.ofEpochSecond(RESETS_AT), limit.resetsAt());
        assertTrue(limit.failure(NOW).getMessage().contains("reached its usage limit;"), limit.failure(NOW).getMessage());
    }

    @Test
    void aPlainRateLimitIsNoUsageLimit() {
        // an OAuth session's 429 without the unified headers: rejected, but with no reset time
        Optional<RateLimitInfo> reported = RateLimitInfo.of(json("""
                {"status":"rejected","isUsingOverage":false}"""));
        JsonObject notice = json("""
                {"type":"assistant","error":"rate_limit","is_api_error_message":true,"api_error_status":429,
                 "api_error_type":"rate_limit_error"}""");
        JsonObject result = json("""
                {"type":"result","is_error":true,"api_error_status":429,"api_error_type":"rate_limit_error",
                 "result":"API Error: Server is temporarily limiting requests (not your usage limit) \u00b7 Number of\
                 request tokens has exceeded your per-minute rate limit"}""");

        assertFalse(UsageLimit.ofRefusedTurn(result, notice, reported, NOW, RETRY).isPresent());
        GatewayException error = CliErrors.fromResult(result, notice);
        assertEquals(429, error.status());
        assertEquals(FailureKind.RATE_LIMITED, error.failureKind());
        assertTrue(error.retryAfter().isEmpty(), "the CLI reports no retry-after and none is invented");
    }

    @Test
    void aWarningIsServedAndDescribed() {
        RateLimitInfo warning = RateLimitInfo.of(json("""
                {"status":"allowed_warning","resetsAt":1796319405,"rateLimitType":"five_hour","utilization":0.92,
                 "isUsingOverage":false,"surpassedThreshold":0.9}""")).orElseThrow();
        assertTrue(warning.warning());
        assertFalse(warning.exhausted());
        assertEquals("allowed_warning five_hour 92% resets 2026-12-03T17:36:45Z", warning.describe());
        assertFalse(RateLimitInfo.of(json("{\"status\":\"\"}")).isPresent());
        assertFalse(RateLimitInfo.of(JsonValue.NULL).isPresent());
    }

    @Test
    void theCliNotLoggedInIsABrokenDeployment() {
        JsonObject notice = json("""
                {"type":"assistant","error":"authentication_failed","is_api_error_message":true}""");
        JsonObject result = json("""
                {"type":"result","subtype":"success","is_error":true,"api_error_status":null,
                 "result":"Not logged in \u00b7 Please run /login"}""");

        GatewayException error = CliErrors.fromResult(result, notice);
        assertEquals(502, error.status());
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, error.failureKind());
        assertTrue(error.getMessage().startsWith("The gateway's claude CLI has no usable login (Not logged in"),
                   error.getMessage());
    }

    @Test
    void aPromptTooLongIsTheContextWindow() {
        JsonObject notice = json("""
                {"type":"assistant","error":"invalid_request","is_api_error_message":true,"api_error_status":400,
                 "api_error_type":"invalid_request_error"}""");
        JsonObject result = json("""
                {"type":"result","is_error":true,"api_error_status":400,"api_error_type":"invalid_request_error",
                 "terminal_reason":"prompt_too_long","result":"Prompt is too long \u00b7 the request is ~215000 tokens\
                 (limit 200000) but this conversation is only ~284 tokens"}""");

        GatewayException error = CliErrors.fromResult(result, notice);
        assertEquals(400, error.status());
        assertEquals(Optional.of("context_length_exceeded"), error.code());
        assertEquals(FailureKind.CONTEXT_WINDOW, error.failureKind());
    }

    @Test
    void overloadAndServerErrorsAsTheApiBackendMapsThem() {
        JsonObject overloaded = json("""
                {"type":"result","is_error":true,"api_error_status":529,"api_error_type":"overloaded_error",
                 "result":"API Error: 529 Overloaded. This is a server-side issue, usually temporary"}""");
        assertEquals(FailureKind.OVERLOADED, CliErrors.fromResult(overloaded).failureKind());
        assertEquals(503, CliErrors.fromResult(overloaded).status());
        JsonObject failed = json("""
                {"type":"result","is_error":true,"api_error_status":500,"api_error_type":"api_error",
                 "result":"API Error: 500 Internal server error."}""");
        assertEquals(FailureKind.SERVER, CliErrors.fromResult(failed).failureKind());
        JsonObject billing = json("""
                {"type":"result","is_error":true,"api_error_status":400,"result":"Credit balance is too low"}""");
        assertEquals(FailureKind.QUOTA_EXHAUSTED, CliErrors.fromResult(billing, json("""
                {"type":"assistant","error":"billing_error","is_api_error_message":true}""")).failureKind());
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
