package io.llmgateway.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.helidon.webserver.WebServer;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.MiddlewareProvider;

/**
 * A gateway with its HTTP server on a free loopback port, for tests that need several configurations
 * in one class (where {@code @ServerTest}'s one server per class does not fit).
 */
final class RunningGateway implements AutoCloseable {

    private final Gateway gateway;
    private final WebServer server;
    private final TestGateways.LogCapture log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RunningGateway(Gateway gateway, WebServer server, TestGateways.LogCapture log) {
        this.gateway = gateway;
        this.server = server;
        this.log = log;
    }

    static RunningGateway start(Map<String, String> settings, List<BackendProvider> backends,
                                List<MiddlewareProvider> middleware) {
        String[] keysAndValues = settings.entrySet().stream()
                .flatMap(entry -> Stream.of(entry.getKey(), entry.getValue()))
                .toArray(String[]::new);
        TestGateways.LogCapture log = new TestGateways.LogCapture();
        Gateway gateway = TestGateways.start(TestGateways.config(keysAndValues), log, backends, middleware);
        return new RunningGateway(gateway, GatewayServer.create(gateway).start(), log);
    }

    /**
     * POSTs a chat request.
     *
     * @param body    the JSON body
     * @param headers header names and values
     * @return the response
     */
    HttpResponse<String> chat(String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * GETs a path.
     *
     * @param path the path
     * @return the response
     */
    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Gateway gateway() {
        return gateway;
    }

    TestGateways.LogCapture log() {
        return log;
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Override
    public void close() {
        server.stop();
        gateway.close();
    }
}
