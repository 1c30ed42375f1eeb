package io.llmgateway.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.llmgateway.backend.mock.MockBackendProvider;
import io.llmgateway.testing.RawHttpConnection;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway does to connections whose clients misbehave, through raw sockets: it closes those that
 * stay silent, trickle headers or bodies, stop reading or idle past the timeouts; it honours
 * {@code Connection: close}; it caps how many connections it holds. Each gateway here runs with timeouts
 * of about a second.
 */
final class TestConnections {

    private static final String CHAT = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final Duration SHORT = Duration.ofMillis(800);
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final List<RunningGateway> gateways = new ArrayList<>();

    @AfterEach
    void stop() {
        gateways.forEach(RunningGateway::close);
    }

    @Test
    void aSilentNewConnectionIsClosedAfterTheHeaderTimeout() {
        RunningGateway gateway = gateway(Map.of("LLM_HEADER_TIMEOUT", "0.8"));
        long started = System.nanoTime();
        try (RawHttpConnection silent = RawHttpConnection.open(gateway.port())) {
            assertTrue(silent.closedWithin(PATIENCE));
        }
        assertThat(elapsed(started), lessThan(Duration.ofSeconds(3)));
        assertClosedCount(gateway, "header_timeout", 1);
    }

    @Test
    void headersTricklingInAreCutOffAtTheHeaderTimeout() {
        RunningGateway gateway = gateway(Map.of("LLM_HEADER_TIMEOUT", "0.8"));
        long started = System.nanoTime();
        try (RawHttpConnection slow = RawHttpConnection.open(gateway.port())) {
            int sent = slow.trickle("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(100) + "\r\n\r\n",
                                    Duration.ofMillis(50));
            assertThat("bytes the server took before closing", sent, lessThan(60));
        }
        assertThat(elapsed(started), lessThan(Duration.ofSeconds(4)));
        assertClosedCount(gateway, "header_timeout", 1);
    }

    @Test
    void aBodyTricklingInIsCutOffAtTheBodyTimeoutAndLoggedAs408() {
        RunningGateway gateway = gateway(Map.of("LLM_BODY_TIMEOUT", "0.8"));
        try (RawHttpConnection slow = RawHttpConnection.open(gateway.port())) {
            slow.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              + "X-Request-Id: slow-body\r\nContent-Length: " + CHAT.length() + "\r\n\r\n");
            int sent = slow.trickle(CHAT, Duration.ofMillis(50));
            assertThat(sent, lessThan(CHAT.length()));
        }
        JsonObject line = gateway.log().lineOf(gateway.gateway(), "slow-body");
        assertThat(line.getInt("status"), is(408));
        assertClosedCount(gateway, "body_timeout", 1);
    }

    @Test
    void aKeptAliveConnectionIsClosedAfterTheIdleTimeout() {
        RunningGateway gateway = gateway(Map.of("LLM_IDLE_TIMEOUT", "0.8"));
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
            client.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read(PATIENCE).status(), is(200));
            long started = System.nanoTime();
            assertTrue(client.closedWithin(PATIENCE));
            assertThat(elapsed(started), lessThan(Duration.ofSeconds(3)));
        }
        assertClosedCount(gateway, "idle", 1);
    }

    @Test
    void aClientsConnectionCloseEndsTheConnectionAfterTheAnswer() {
        RunningGateway gateway = gateway(Map.of());
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
            client.send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawHttpConnection.Response response = client.read(PATIENCE);
            assertThat(response.status(), is(200));
            assertThat(response.header("connection").orElse(""), is("close"));
            assertTrue(client.closedWithin(Duration.ofSeconds(1)));
        }
    }

    @Test
    void theBodyRejectedWithA413IsNotParsedAsTheNextRequest() {
        RunningGateway gateway = gateway(Map.of("LLM_MAX_REQUEST_BYTES", "1024"));
        String smuggled = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
        String body = smuggled.repeat(60);
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            RawHttpConnection.Response response = client.read(PATIENCE);
            assertThat(response.status(), is(413));
            assertTrue(client.closedWithin(Duration.ofSeconds(1)), "no second answer, the connection closed");
        }
    }

    @Test
    void aClientThatNeverReadsIsCutOffAtTheSendTimeout() {
        RunningGateway gateway = gateway(Map.of("LLM_SEND_TIMEOUT", "0.8", "LLM_MOCK_RESPONSE", "x".repeat(16 << 20)));
        long started = System.nanoTime();
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port(), 4096)) {
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "X-Request-Id: never-reads\r\nContent-Length: " + CHAT.length() + "\r\n\r\n" + CHAT);
            JsonObject line = gateway.log().lineOf(gateway.gateway(), "never-reads");
            assertThat(line.getInt("status"), is(499));
        }
        assertThat(elapsed(started), lessThan(Duration.ofSeconds(5)));
        assertClosedCount(gateway, "send_timeout", 1);
    }

    @Test
    void theRequestDeadlineAppliesToWritingToo() {
        RunningGateway gateway = gateway(Map.of("LLM_REQUEST_TIMEOUT", "1", "LLM_MOCK_RESPONSE", "x".repeat(16 << 20)));
        long started = System.nanoTime();
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port(), 4096)) {
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "X-Request-Id: past-deadline\r\nContent-Length: " + CHAT.length() + "\r\n\r\n" + CHAT);
            gateway.log().lineOf(gateway.gateway(), "past-deadline");
        }
        assertThat(elapsed(started), lessThan(Duration.ofSeconds(5)));
    }

    @Test
    void headIsAnsweredLikeGetWithoutABodyAndTheConnectionStaysInStep() {
        RunningGateway gateway = gateway(Map.of());
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
            for (String path : List.of("/", "/health/live", "/v1/models", "/no/such/path", "/v1/chat/completions")) {
                client.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttpConnection.Response head = client.readHead(PATIENCE);
                client.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttpConnection.Response next = client.read(PATIENCE);
                assertThat(path + " then " + next.statusLine(), next.status(), is(200));
                assertThat(next.body(), is("{\"status\":\"UP\"}"));
                assertThat(path, head.status(), is(switch (path) {
                    case "/no/such/path" -> 404;
                    case "/v1/chat/completions" -> 405;
                    default -> 200;
                }));
                assertTrue(head.header("content-length").isPresent(), path);
            }
        }
    }

    @Test
    void http10IsServedWithoutChunkingAndClosed() {
        RunningGateway gateway = gateway(Map.of());
        try (RawHttpConnection probe = RawHttpConnection.open(gateway.port())) {
            probe.send("GET /health/ready HTTP/1.0\r\n\r\n");
            RawHttpConnection.Response response = probe.read(PATIENCE);
            assertThat(response.status(), is(200));
            assertTrue(probe.closedWithin(Duration.ofSeconds(1)));
        }
        String stream = "{\"model\":\"mock\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (RawHttpConnection proxy = RawHttpConnection.open(gateway.port())) {
            proxy.send("POST /v1/chat/completions HTTP/1.0\r\nHost: x\r\nConnection: close\r\n"
                               + "Content-Type: application/json\r\nContent-Length: " + stream.length() + "\r\n\r\n" + stream);
            RawHttpConnection.Response response = proxy.read(PATIENCE);
            assertThat(response.status(), is(200));
            assertFalse(response.header("transfer-encoding").isPresent(), response.headers().toString());
            assertTrue(response.body().startsWith("data: {"), response.body());
            assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
        }
    }

    @Test
    void chunkExtensionsAndTrailersAreServed() {
        RunningGateway gateway = gateway(Map.of());
        String first = CHAT.substring(0, 20);
        String rest = CHAT.substring(20);
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                                + Integer.toHexString(first.length()) + ";name=value\r\n" + first + "\r\n"
                                + Integer.toHexString(rest.length()) + " ; quoted=\"a;b\"\r\n" + rest + "\r\n"
                                + "0\r\nX-Checksum: 1234\r\n\r\n");
            RawHttpConnection.Response response = client.read(PATIENCE);
            assertThat(response.body(), response.status(), is(200));
            client.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat("the connection is still in step", client.read(PATIENCE).status(), is(200));
        }
    }

    @Test
    void malformedChunkingAndBodiesCutShortAre400sLoggedInOneLine() {
        RunningGateway gateway = gateway(Map.of());
        for (String framing : List.of("zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\r\nno-colon-trailer-and-no-end")) {
            try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
                client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    + "X-Request-Id: chunks\r\nTransfer-Encoding: chunked\r\n\r\n" + framing);
                client.shutdownOutput();
                assertThat(framing, client.read(PATIENCE).status(), is(400));
            }
        }
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "X-Request-Id: cut-short\r\nContent-Length: 100\r\n\r\n{\"model\":");
            client.shutdownOutput();
            assertThat(client.read(PATIENCE).status(), is(400));
        }
        assertThat(gateway.log().lineOf(gateway.gateway(), "cut-short").getInt("status"), is(400));
        assertThat(gateway.gateway().metrics().prometheus(), not(containsString("status=\"500\"")));
    }

    @Test
    void beyondTheConnectionCapNewConnectionsWaitAndTheListenerLives() throws Exception {
        RunningGateway gateway = gateway(Map.of("LLM_MAX_CONNECTIONS", "4"));
        List<RawHttpConnection> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RawHttpConnection connection = RawHttpConnection.open(gateway.port());
            connection.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(connection.read(PATIENCE).status(), is(200));
            held.add(connection);
        }
        try (RawHttpConnection fifth = RawHttpConnection.open(gateway.port())) {
            fifth.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertFalse(fifth.closedWithin(Duration.ofMillis(500)), "served or closed while four were held");
            held.removeFirst().close();
            assertThat(fifth.read(PATIENCE).status(), is(200));
        } finally {
            held.forEach(RawHttpConnection::close);
        }
        assertThat(gateway.chat(CHAT).statusCode(), is(200));
    }

    private RunningGateway gateway(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("LLM_BACKEND", "mock"));
        all.putAll(settings);
        RunningGateway gateway = RunningGateway.start(all, List.of(new MockBackendProvider()), List.of());
        gateways.add(gateway);
        return gateway;
    }

    private static void assertClosedCount(RunningGateway gateway, String reason, int count) {
        String series = "llm_connections_closed_total{reason=\"" + reason + "\"";
        long until = System.nanoTime() + PATIENCE.toNanos();
        String metrics = "";
        while (System.nanoTime() < until) {
            metrics = gateway.gateway().metrics().prometheus();
            if (metrics.lines().anyMatch(line -> line.startsWith(series) && line.endsWith(" " + count + ".0"))) {
                return;
            }
            sleep(Duration.ofMillis(20));
        }
        throw new AssertionError(series + " did not reach " + count + ":\n"
                                         + metrics.lines().filter(line -> line.startsWith("llm_connections")).toList());
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
