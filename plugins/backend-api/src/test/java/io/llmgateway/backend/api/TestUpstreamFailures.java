package io.llmgateway.backend.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.FakeOpenAiApi;
import io.llmgateway.testing.FakeTcpServer;
import io.llmgateway.testing.Reply;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client is told when an upstream fails below HTTP or sends something unusable, against real
 * misbehaving peers: the message says what happened in words (never an exception's text or class), the
 * status is 502 for an upstream's fault and 504 for a timeout, the failure kind says what it means for the
 * deployment, and the gateway's log gets the exception on one line. One attempt each.
 */
final class TestUpstreamFailures {

    private static final String ASK = "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String ASK_STREAMED = "{\"model\":\"claude-sonnet\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private FakeAnthropicApi api;

    @BeforeEach
    void start() {
        api = FakeAnthropicApi.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aRefusedConnection() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ApiFixture backend = anthropicAt("http://127.0.0.1:" + closedPort, Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

            assertClientSees(e, 502, "api_error", "Cannot reach Anthropic: connection refused");
            assertEquals(FailureKind.CONNECT, e.failureKind());
            assertLoggedOnOneLine(backend, "Cannot reach Anthropic: connection refused", "java.net.ConnectException");
        }
    }

    @Test
    void aHostNameThatDoesNotResolve() {
        try (ApiFixture backend = anthropicAt("http://gateway-test.invalid", Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

            assertClientSees(e, 502, "api_error", "Cannot reach Anthropic: its host name does not resolve");
            assertEquals(FailureKind.CONNECT, e.failureKind());
            assertLoggedOnOneLine(backend, "does not resolve", "java.net.UnknownHostException");
        }
    }

    @Test
    void aConnectionAttemptThatTimesOutIs504AfterOneAttempt() {
        try (FakeTcpServer unaccepting = FakeTcpServer.unaccepting();
             ApiFixture backend = anthropicAt(unaccepting.baseUrl(), Map.of("LLM_API_CONNECT_TIMEOUT", "1"))) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

            assertClientSees(e, 504, "timeout_error",
                             "Cannot reach Anthropic: connecting timed out after 1 s (LLM_API_CONNECT_TIMEOUT)");
            assertEquals(FailureKind.CONNECT, e.failureKind(), "never connected: another deployment may serve at once");
            List<String> attempts = backend.logged().stream().filter(line -> line.contains("connecting timed out")).toList();
            assertEquals(1, attempts.size(), "one attempt: " + attempts);
            assertLoggedOnOneLine(backend, "connecting timed out", "java.net.SocketTimeoutException");
        }
    }

    @Test
    void aTlsHandshakeThatIsNeverAnsweredEndsAtTheDeadline() {
        try (FakeTcpServer silent = FakeTcpServer.silent();
             ApiFixture backend = anthropicAt(silent.httpsUrl(), Map.of())) {
            GatewayException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                    GatewayException.class, () -> backend.chat(ASK, Instant.now().plusSeconds(2), delta -> { })));

            assertClientSees(e, 504, "timeout_error",
                             "Anthropic did not answer within the request timeout (LLM_REQUEST_TIMEOUT)");
            assertEquals(FailureKind.TIMEOUT, e.failureKind());
        }
    }

    @Test
    void anHttpsUrlOfAPlainHttpServer() {
        try (FakeTcpServer plain = FakeTcpServer.answering("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
             ApiFixture backend = anthropicAt(plain.httpsUrl(), Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

            assertClientSees(e, 502, "api_error",
                             "The TLS handshake with Anthropic failed: its answer is not TLS (is it plain HTTP?)");
            assertEquals(FailureKind.CONNECT, e.failureKind());
            assertLoggedOnOneLine(backend, "The TLS handshake with Anthropic failed", "javax.net.ssl.SSLException");
        }
    }

    @Test
    void aCertificateNoTrustStoreKnows() {
        try (FakeTcpServer untrusted = FakeTcpServer.untrustedTls();
             ApiFixture backend = anthropicAt(untrusted.httpsUrl(), Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

            assertClientSees(e, 502, "api_error", "The TLS handshake with Anthropic failed: its certificate is not"
                    + " signed by an authority the gateway trusts");
            assertEquals(FailureKind.DEPLOYMENT_BROKEN, e.failureKind(), "a refused certificate stays refused");
            assertLoggedOnOneLine(backend, "its certificate", "PKIX");
        }
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIs502AfterOneAttempt() {
        api.defaultReply(Reply.drop());
        try (ApiFixture backend = anthropicAt(api.baseUrl(), Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

            assertClientSees(e, 502, "api_error", "Anthropic closed the connection without answering");
            assertEquals(FailureKind.CONNECT, e.failureKind(), "no byte of an answer came");
            assertEquals(1, api.requestCount());
            assertLoggedOnOneLine(backend, "closed the connection", "InsufficientDataAvailableException");
        }
    }

    @Test
    void anAnswerThatIsNotHttp() {
        try (FakeTcpServer garbage = FakeTcpServer.answering("SSH-2.0-OpenSSH_9.6\r\n\r\n");
             ApiFixture backend = anthropicAt(garbage.baseUrl(), Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

            assertClientSees(e, 502, "api_error", "Anthropic answered something that is not HTTP");
            assertEquals(FailureKind.SERVER, e.failureKind());
        }
    }

    @Test
    void aStreamCutAfterItsFirstDeltasSaysHowFarItGot() {
        api.enqueue(Reply.cut("partial ", "answer"));
        try (ApiFixture backend = anthropicAt(api.baseUrl(), Map.of())) {
            List<ChatDelta> seen = new ArrayList<>();
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(
                    ASK_STREAMED, Instant.now().plusSeconds(30), seen::add));

            // message_start, content_block_start and the two deltas
            assertClientSees(e, 502, "api_error",
                             "The connection to Anthropic closed after 4 events of the stream, before its end");
            assertEquals(2, seen.size(), "the client had both deltas");
            assertEquals(FailureKind.SERVER, e.failureKind());
            assertEquals(1, api.requestCount());
        }
    }

    @Test
    void aStreamCutBeforeItsFirstDeltaSaysTheUpstreamWasReached() {
        api.defaultReply(Reply.cut());
        try (ApiFixture backend = anthropicAt(api.baseUrl(), Map.of())) {
            List<ChatDelta> seen = new ArrayList<>();
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(
                    ASK_STREAMED, Instant.now().plusSeconds(30), seen::add));

            assertClientSees(e, 502, "api_error",
                             "The connection to Anthropic closed after 2 events of the stream, before its end");
            assertEquals(FailureKind.SERVER, e.failureKind());
            assertEquals(List.of(), seen, "nothing had reached the client");
            assertEquals(1, api.requestCount());
        }
    }

    @Test
    void aWholeAnswerCutInTheMiddle() {
        api.defaultReply(Reply.cut("a whole answer that never arrives whole"));
        try (ApiFixture backend = anthropicAt(api.baseUrl(), Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK));

            assertClientSees(e, 502, "api_error", "The connection to Anthropic closed in the middle of its answer");
            assertEquals(FailureKind.SERVER, e.failureKind());
        }
    }

    @Test
    void aStreamThatEndsBeforeMessageStop() {
        api.defaultReply(Reply.malformed("event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
                                                 + "{\"usage\":{\"input_tokens\":1}}}\n\n"));
        try (ApiFixture backend = anthropicAt(api.baseUrl(), Map.of())) {
            GatewayException e = assertThrows(GatewayException.class, () -> backend.chat(ASK_STREAMED));

            assertClientSees(e, 502, "api_error", "The stream from Anthropic ended after 1 event, before message_stop");
            assertEquals(FailureKind.SERVER, e.failureKind());
        }
    }

    @Test
    void unparseableAnswersSayWhatWasWrong() {
        api.enqueue(Reply.malformed("{\"type\":\"message\"}"), Reply.malformed(), Reply.malformed());
        try (ApiFixture backend = anthropicAt(api.baseUrl(), Map.of())) {
            GatewayException noContent = assertThrows(GatewayException.class, () -> backend.chat(ASK));
            GatewayException notJson = assertThrows(GatewayException.class, () -> backend.chat(ASK));
            GatewayException badEvent = assertThrows(GatewayException.class, () -> backend.chat(ASK_STREAMED));

            assertClientSees(noContent, 502, "api_error", "Anthropic answered a message without content");
            assertClientSees(notJson, 502, "api_error", "Anthropic answered a body that is not JSON");
            assertClientSees(badEvent, 502, "api_error", "Anthropic answered an event that is not JSON (event 1 of the"
                    + " stream)");
        }
    }

    @Test
    void timeoutsSayWhetherAnythingArrived() {
        api.enqueue(Reply.hang(), Reply.text("first ", "second").withGap(Duration.ofSeconds(5)));
        try (ApiFixture backend = anthropicAt(api.baseUrl(), Map.of())) {
            GatewayException silent = assertThrows(GatewayException.class, () -> backend.chat(
                    ASK, Instant.now().plusSeconds(1), delta -> { }));
            GatewayException stalled = assertThrows(GatewayException.class, () -> backend.chat(
                    ASK_STREAMED, Instant.now().plusSeconds(1), delta -> { }));

            assertClientSees(silent, 504, "timeout_error",
                             "Anthropic did not answer within the request timeout (LLM_REQUEST_TIMEOUT)");
            // message_start, content_block_start and the first delta
            assertClientSees(stalled, 504, "timeout_error", "The stream from Anthropic stalled after 3 events until the"
                    + " request timed out (LLM_REQUEST_TIMEOUT)");
            assertEquals(FailureKind.TIMEOUT, silent.failureKind());
            assertEquals(FailureKind.TIMEOUT, stalled.failureKind());
            assertEquals(2, api.requestCount());
        }
    }

    @Test
    void aRelayedUpstreamIsNamedByItsAddress() {
        try (FakeOpenAiApi upstream = FakeOpenAiApi.start();
             ApiFixture relay = ApiFixture.start(Map.of("LLM_OPENAI_BASE_URL", upstream.baseUrl(),
                                                        "LLM_OPENAI_MODELS", "gpt-4o-mini"))) {
            upstream.enqueue(Reply.cut("partial"), Reply.streamError("so far "));
            String ask = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

            GatewayException cut = assertThrows(GatewayException.class, () -> relay.chat(ask));
            GatewayException reported = assertThrows(GatewayException.class, () -> relay.chat(ask));

            // the role chunk and the delta
            assertClientSees(cut, 502, "api_error", "The connection to the upstream at " + upstream.baseUrl()
                    + " closed after 2 events of the stream, before its end");
            assertClientSees(reported, 502, "api_error", "The upstream at " + upstream.baseUrl()
                    + " reported an error in the middle of its stream: Overloaded");
        }
    }

    @Test
    void anUpstreamWhoseModelsCannotBeListedSaysWhyInItsHealth() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ApiFixture relay = ApiFixture.start(Map.of("LLM_OPENAI_BASE_URL", "http://127.0.0.1:" + closedPort))) {
            assertEquals("cannot list the models of http://127.0.0.1:" + closedPort + "/v1/models: cannot reach it:"
                                 + " connection refused; set LLM_OPENAI_MODELS to list them yourself",
                         relay.backend().health().detail());
        }
    }

    private static ApiFixture anthropicAt(String baseUrl, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("ANTHROPIC_API_KEY", "sk-secret-key", "ANTHROPIC_BASE_URL",
                                                            baseUrl));
        settings.putAll(extra);
        return ApiFixture.start(settings);
    }

    private static void assertClientSees(GatewayException e, int status, String type, String message) {
        assertEquals(message, e.getMessage());
        assertEquals(status, e.status(), message);
        assertEquals(type, e.type(), message);
        assertFalse(e.getMessage().contains("sk-secret-key"), "the gateway's key");
    }

    private static void assertLoggedOnOneLine(ApiFixture backend, String message, String exception) {
        List<String> lines = backend.logged().stream().filter(line -> line.contains(message)).toList();
        assertFalse(lines.isEmpty(), () -> "nothing logged about '" + message + "': " + backend.logged());
        for (String line : lines) {
            assertTrue(line.startsWith("WARNING "), line);
            assertTrue(line.contains(exception), () -> "the exception is in the log: " + line);
            assertFalse(line.contains("\n") || line.contains("[thrown"), () -> "one line, no stack trace: " + line);
            assertFalse(line.contains("sk-secret-key"), line);
        }
    }
}
