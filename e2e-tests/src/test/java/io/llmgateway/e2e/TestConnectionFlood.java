package io.llmgateway.e2e;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.RawHttpConnection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More idle connections than the process has file descriptors for: the gateway caps the connections it
 * accepts below what its descriptors allow, so accepting never fails, the listener lives, and once the
 * flood's silent connections time out it serves again.
 */
final class TestConnectionFlood {

    private static final int FILE_LIMIT = 512;
    private static final int FLOOD = 900;

    @Test
    void aFloodBeyondTheFileLimitLeavesTheListenerServing() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.startWithFileLimit("flood", Map.of("LLM_HEADER_TIMEOUT", "2"),
                                                                        FILE_LIMIT)) {
            List<RawHttpConnection> flood = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD; i++) {
                    flood.add(RawHttpConnection.open(gateway.port()));
                }
                Thread.sleep(3_000);
                assertTrue(gateway.stderr().contains("listening"), gateway.stderr());
            } finally {
                flood.forEach(RawHttpConnection::close);
            }
            // the kernel's backlog held the rest; they are gone now, and the gateway answers
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int status = -1;
            while (status != 200 && System.nanoTime() < until) {
                status = status(gateway, "/health/live");
            }
            assertEquals(200, status);
            assertFalse(gateway.stderr().contains("terminating now"), gateway.stderr());
            assertFalse(gateway.stderr().contains("Too many open files"), gateway.stderr());
            assertEquals("Mock answer from mock to: still here", Chat.content(gateway.client().chat().completions()
                    .create(Chat.ask("mock", "still here"))));
        }
    }

    @Test
    void aListenerThatRunsOutOfDescriptorsAnywayListensAgain() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start("flood-lowered", Map.of("LLM_HEADER_TIMEOUT", "2"))) {
            // the limit lowered under the running gateway, below what its connection cap was sized for
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(gateway.pid()), "--nofile=300:300")
                    .inheritIO().start();
            assertEquals(0, prlimit.waitFor());
            List<RawHttpConnection> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 400; i++) {
                    try {
                        flood.add(RawHttpConnection.open(gateway.port()));
                    } catch (java.io.UncheckedIOException e) {
                        break; // the listener is down: what this test is about
                    }
                }
                Thread.sleep(2_000);
            } finally {
                flood.forEach(RawHttpConnection::close);
            }
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int status = -1;
            while (status != 200 && System.nanoTime() < until) {
                status = status(gateway, "/health/live");
                Thread.sleep(100);
            }
            assertEquals(200, status, gateway.stderr());
            assertTrue(gateway.stderr().contains("terminating now"), "Helidon's listener did not end: " + gateway.stderr());
            assertTrue(gateway.stderr().contains("listening again"), gateway.stderr());
            assertEquals("Mock answer from mock to: back", Chat.content(gateway.client().chat().completions()
                    .create(Chat.ask("mock", "back"))));
        }
    }

    private static int status(GatewayProcess gateway, String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) gateway.uri(path).toURL().openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(2_000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
