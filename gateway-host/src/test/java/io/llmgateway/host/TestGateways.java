package io.llmgateway.host;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.host.config.Environment;
import io.llmgateway.host.plugins.LoadedPlugin;
import io.llmgateway.host.plugins.PluginCatalog;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;

/**
 * Builds gateways in-process for tests: configuration from a map (never the real environment), plugins
 * from providers on the test class path, request log into memory.
 */
final class TestGateways {

    private TestGateways() {
    }

    /**
     * Configuration bound to loopback on a free port, plus the given keys and values. These gateways test the request
     * pipeline with scripted backends, so the router makes one attempt and never cools a backend down unless a test
     * says otherwise (the router's own tests are in {@code router/}).
     */
    static GatewayConfig config(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        values.put("LLM_HOST", "127.0.0.1");
        values.put("LLM_PORT", "0");
        values.put("LLM_MAX_ATTEMPTS", "1");
        values.put("LLM_BREAKER_FAILURES", "0");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return GatewayConfig.from(new Environment(values));
    }

    static Gateway start(GatewayConfig config, OutputStream log, List<BackendProvider> backends,
                         List<MiddlewareProvider> middleware) {
        PluginCatalog catalog = new PluginCatalog(List.of(LoadedPlugin.builtIn("test", backends, middleware)), List.of());
        return Gateway.start(config, catalog, log, Clock.systemUTC());
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** The request log in memory. */
    static final class LogCapture extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        /** Every line written so far (after the gateway's log was flushed). */
        synchronized List<String> lines(Gateway gateway) {
            gateway.requestLog().flush();
            String text = bytes.toString(StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }

        /**
         * The log line of one request, by request id. The line is written just after the response, so a
         * client can see the answer a moment before its line exists: wait for it.
         */
        JsonObject lineOf(Gateway gateway, String requestId) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                Optional<JsonObject> line = lines(gateway).stream()
                        .map(TestGateways::json)
                        .filter(it -> it.getString("request_id").equals(requestId))
                        .findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no log line for " + requestId);
                }
                Thread.onSpinWait();
            }
        }
    }
}
