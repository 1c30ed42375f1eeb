package io.llmgateway.host;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FinishReason;
import io.llmgateway.backend.mock.MockBackendProvider;
import io.llmgateway.testing.RawHttpConnection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request bodies through raw sockets: memory follows the bytes that arrived, not the length a client
 * announces, and all bodies being read share a budget; a request whose client left while it waited is
 * told so.
 */
final class TestRequestBodies {

    private static final String CHAT = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final int TEN_MIB = 10 << 20;

    private final List<RunningGateway> gateways = new ArrayList<>();
    private final List<RawHttpConnection> connections = new ArrayList<>();

    @AfterEach
    void stop() {
        connections.forEach(RawHttpConnection::close);
        gateways.forEach(RunningGateway::close);
    }

    @Test
    void announcedLengthsCostNothingUntilTheBytesArrive() throws Exception {
        RunningGateway gateway = gateway(Map.of("LLM_BACKEND", "mock"));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        int count = 150;
        for (int i = 0; i < count; i++) {
            connections.add(RawHttpConnection.open(gateway.port())
                                    .send(chatHeaders(TEN_MIB) + "{"));
        }
        awaitOpen(gateway, count);
        System.gc();
        long grown = memory.getHeapMemoryUsage().getUsed() - before;

        assertThat("heap grown for " + count + " bodies announcing 10 MiB", grown, lessThan(count * 1024L * 1024));
        assertThat(gateway.chat(CHAT).statusCode(), is(200));
    }

    @Test
    void pastTheBodyBudgetARequestGetsA503AndOthersGoOn() {
        RunningGateway gateway = gateway(Map.of("LLM_BACKEND", "mock", "LLM_MAX_BODY_BYTES_IN_FLIGHT", "64k"));
        RawHttpConnection big = RawHttpConnection.open(gateway.port());
        connections.add(big);
        big.send(chatHeaders(TEN_MIB) + "x".repeat(40_000));
        awaitOpen(gateway, 1);
        sleep(Duration.ofMillis(200));

        try (RawHttpConnection second = RawHttpConnection.open(gateway.port())) {
            second.send(chatHeaders(CHAT.length()) + CHAT);
            RawHttpConnection.Response response = second.read(PATIENCE);
            assertThat(response.body(), response.status(), is(503));
            assertTrue(response.header("retry-after").isPresent());
        }
        big.close();
        sleep(Duration.ofMillis(200));
        assertThat(gateway.chat(CHAT).statusCode(), is(200));
    }

    @Test
    void aBackendWaitingSeesItsClientGone() throws Exception {
        ScriptedBackend backend = new ScriptedBackend("scripted", "scripted-model");
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch noticed = new CountDownLatch(1);
        AtomicBoolean gone = new AtomicBoolean();
        backend.script((exchange, sink) -> {
            waiting.countDown();
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < until) {
                if (exchange.clientGone()) {
                    gone.set(true);
                    noticed.countDown();
                    throw new ClientDisconnectedException(new IllegalStateException("client gone"));
                }
                Thread.sleep(10);
            }
            sink.emit(new ChatDelta.Text("too late"));
            sink.emit(new ChatDelta.Finish(FinishReason.STOP));
        });
        RunningGateway gateway = RunningGateway.start(Map.of("LLM_BACKEND", "scripted"), List.of(backend.provider()), List.of());
        gateways.add(gateway);
        String body = "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
            client.send(chatHeaders(body.length()) + body);
            assertTrue(waiting.await(5, TimeUnit.SECONDS));
        }
        assertTrue(noticed.await(2, TimeUnit.SECONDS), "the backend never saw the client go");
        assertTrue(gone.get());

        // a client still there is not taken for gone, and its keep-alive connection stays in step
        backend.script((exchange, sink) -> {
            Thread.sleep(100);
            assertTrue(!exchange.clientGone());
            sink.emit(new ChatDelta.Text("still here"));
            sink.emit(new ChatDelta.Finish(FinishReason.STOP));
        });
        try (RawHttpConnection client = RawHttpConnection.open(gateway.port())) {
            client.send(chatHeaders(body.length()) + body + "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read(PATIENCE).status(), is(200));
            assertThat("the pipelined request the look-ahead read", client.read(PATIENCE).status(), is(200));
        }
    }

    private RunningGateway gateway(Map<String, String> settings) {
        RunningGateway gateway = RunningGateway.start(settings, List.of(new MockBackendProvider()), List.of());
        gateways.add(gateway);
        return gateway;
    }

    private static String chatHeaders(int length) {
        return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + length + "\r\n\r\n";
    }

    private static void awaitOpen(RunningGateway gateway, int count) {
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (gateway.gateway().connections().count() < count && System.nanoTime() < until) {
            sleep(Duration.ofMillis(20));
        }
        // the last body's first bytes may still be on their way into the gateway
        sleep(Duration.ofMillis(300));
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
