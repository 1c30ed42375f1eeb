package io.llmgateway.backend.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.testing.Reply;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.llmgateway.backend.api.FaultyUpstream.Kind.ANTHROPIC;
import static io.llmgateway.backend.api.FaultyUpstream.Kind.OPENAI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upstream failures whose status alone would mislead the router, classified as the upstreams word them: the
 * gateway's own credentials refused, a model the upstream does not know, a request too long for the model, an
 * account out of credit, refused content. The client's error keeps the upstream's words, never the key.
 */
final class TestFailureKinds {

    private static final String SGLANG_CONTEXT = "The input (5000 tokens) is longer than the model's context length"
            + " (4096 tokens).";
    private static final String ROLE_CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":"
            + "\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
            + "\"finish_reason\":null}]}\n\n";

    /**
     * An upstream's failure and its classification.
     *
     * @param name     the test's name
     * @param upstream which upstream answers
     * @param reply    its answer
     * @param stream   whether the client asks for a stream
     * @param status   the client's status
     * @param code     the client's error code, if one is expected
     * @param kind     the failure kind
     * @param detail   words of the upstream's message the client's message keeps
     */
    record Case(String name, FaultyUpstream.Kind upstream, Reply reply, boolean stream, int status,
                Optional<String> code, FailureKind kind, String detail) {
        @Override
        public String toString() {
            return upstream + ": " + name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                classified(ANTHROPIC, "401: the gateway's key", Reply.authenticationError(), false, 502, "bad_gateway",
                           FailureKind.DEPLOYMENT_BROKEN, "credentials"),
                classified(ANTHROPIC, "403: the gateway's key may not", Reply.error(403, "permission_error",
                           "Your API key does not have permission to use the specified resource."), true, 502,
                           "bad_gateway", FailureKind.DEPLOYMENT_BROKEN, "credentials"),
                classified(ANTHROPIC, "404: a model it does not know", Reply.error(404, "not_found_error",
                           "model: claude-sonnet-test"), false, 404, "upstream_not_found",
                           FailureKind.DEPLOYMENT_BROKEN, "model: claude-sonnet-test"),
                classified(ANTHROPIC, "400: prompt is too long", Reply.invalidRequest(
                           "prompt is too long: 210000 tokens > 200000 maximum"), false, 400, "context_length_exceeded",
                           FailureKind.CONTEXT_WINDOW, "210000 tokens > 200000 maximum"),
                classified(ANTHROPIC, "400: input and max_tokens exceed the context limit", Reply.invalidRequest(
                           "input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000, decrease input"
                                   + " length or `max_tokens` and try again"), true, 400, "context_length_exceeded",
                           FailureKind.CONTEXT_WINDOW, "198000 + 8192 > 200000"),
                classified(ANTHROPIC, "error event: prompt is too long", new Reply.StreamError(List.of(),
                           "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"), true, 400,
                           "context_length_exceeded", FailureKind.CONTEXT_WINDOW, "prompt is too long"),
                classified(ANTHROPIC, "400: credit balance is too low", Reply.invalidRequest(
                           "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to"
                                   + " upgrade or purchase credits."), false, 429, "insufficient_quota",
                           FailureKind.QUOTA_EXHAUSTED, "credit balance is too low"),
                classified(ANTHROPIC, "402 billing_error", Reply.error(402, "billing_error",
                           "Your account has a billing problem"), true, 429, "insufficient_quota",
                           FailureKind.QUOTA_EXHAUSTED, "billing problem"),
                classified(ANTHROPIC, "400: any other invalid request", Reply.invalidRequest(
                           "messages: text content blocks must be non-empty"), false, 400, "upstream_rejected",
                           FailureKind.INVALID_REQUEST, "must be non-empty"),
                classified(ANTHROPIC, "413: request too large", Reply.error(413, "request_too_large",
                           "Request exceeds the maximum allowed number of bytes."), false, 400, "upstream_rejected",
                           FailureKind.INVALID_REQUEST, "maximum allowed number of bytes"),

                classified(OPENAI, "401: the gateway's key", Reply.error(401, "authentication_error",
                           "Incorrect API key provided"), true, 502, "bad_gateway", FailureKind.DEPLOYMENT_BROKEN,
                           "credentials"),
                classified(OPENAI, "404 model_not_found", Reply.error(404, "not_found_error",
                           "The model `gpt-4o-mini` does not exist or you do not have access to it.")
                                   .withCode("model_not_found"), false, 404, "upstream_not_found",
                           FailureKind.DEPLOYMENT_BROKEN, "does not exist"),
                classified(OPENAI, "400 context_length_exceeded", Reply.invalidRequest(
                           "This model's maximum context length is 128000 tokens. However, your messages resulted in"
                                   + " 130000 tokens.").withCode("context_length_exceeded"), false, 400,
                           "context_length_exceeded", FailureKind.CONTEXT_WINDOW, "130000 tokens"),
                classified(OPENAI, "vLLM 400: maximum context length", Reply.error(400, "BadRequestError",
                           "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens"
                                   + " (4000 in the messages, 1000 in the completion)."), true, 400,
                           "context_length_exceeded", FailureKind.CONTEXT_WINDOW, "you requested 5000 tokens"),
                classified(OPENAI, "sglang: context error in the stream after its 200", Reply.malformed(
                           ROLE_CHUNK + "data: {\"object\":\"error\",\"message\":\"" + SGLANG_CONTEXT + "\",\"type\":"
                                   + "\"BadRequestError\",\"param\":null,\"code\":400}\n\n"), true, 400,
                           "context_length_exceeded", FailureKind.CONTEXT_WINDOW, SGLANG_CONTEXT),
                classified(OPENAI, "vLLM: context error in the stream after its 200", Reply.malformed(
                           ROLE_CHUNK + "data: {\"error\":{\"object\":\"error\",\"message\":\"This model's maximum"
                                   + " context length is 4096 tokens.\",\"type\":\"BadRequestError\",\"param\":null,"
                                   + "\"code\":400}}\n\n"), true, 400, "context_length_exceeded",
                           FailureKind.CONTEXT_WINDOW, "maximum context length"),
                classified(OPENAI, "400 content_policy_violation", Reply.invalidRequest(
                           "Your request was rejected as a result of our safety system.")
                                   .withCode("content_policy_violation"), false, 400, "content_policy_violation",
                           FailureKind.CONTENT_POLICY, "safety system"),
                classified(OPENAI, "400 content_filter (Azure)", Reply.invalidRequest(
                           "The response was filtered due to the prompt triggering Azure OpenAI's content management"
                                   + " policy.").withCode("content_filter"), true, 400, "content_filter",
                           FailureKind.CONTENT_POLICY, "content management"),
                classified(OPENAI, "429 insufficient_quota", Reply.error(429, "insufficient_quota",
                           "You exceeded your current quota, please check your plan and billing details.")
                                   .withCode("insufficient_quota"), false, 429, "insufficient_quota",
                           FailureKind.QUOTA_EXHAUSTED, "exceeded your current quota"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifiedAsTheUpstreamMeansIt(Case failure) throws Exception {
        try (FaultyUpstream upstream = FaultyUpstream.start(failure.upstream(), failure.reply())) {
            List<ChatDelta> seen = new ArrayList<>();

            GatewayException e = upstream.failedCall(failure.stream(), Instant.now().plusSeconds(30), seen::add);

            assertEquals(failure.status(), e.status(), e::getMessage);
            assertEquals(failure.kind(), e.failureKind(), e::getMessage);
            failure.code().ifPresent(code -> assertEquals(code, e.code().orElse(null), e::getMessage));
            assertTrue(e.getMessage().contains(failure.detail()), e::getMessage);
            assertFalse(e.getMessage().contains("sk-secret-key"), "the gateway's key");
            assertEquals(List.of(), seen, "nothing before the failure");
            assertEquals(1, upstream.requests());
        }
    }

    @Test
    void aQuotaErrorSuggestsNoRetry() throws Exception {
        try (FaultyUpstream upstream = FaultyUpstream.start(ANTHROPIC, Reply.error(402, "billing_error", "No credit"))) {
            GatewayException e = upstream.failedCall(false, Instant.now().plusSeconds(30), delta -> { });

            assertEquals(Optional.empty(), e.retryAfter(), "an account out of credit does not come back in seconds");
        }
    }

    private static Case classified(FaultyUpstream.Kind upstream, String name, Reply reply, boolean stream, int status,
                                   String code, FailureKind kind, String detail) {
        return new Case(name, upstream, reply, stream, status, Optional.ofNullable(code), kind, detail);
    }
}
