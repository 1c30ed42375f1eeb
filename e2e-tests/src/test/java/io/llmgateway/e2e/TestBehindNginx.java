package io.llmgateway.e2e;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gateway behind nginx configured as people leave it: {@code proxy_pass} and nothing else, so nginx
 * speaks HTTP/1.0 to the gateway (its default {@code proxy_http_version}). The OpenAI SDK talks to nginx.
 * {@code .ci/run} installs nginx; without it this test is skipped.
 */
final class TestBehindNginx {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    @Test
    void jsonAndStreamedAnswersThroughNginxSpeakingHttp10() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), "nginx is not installed (.ci/run installs nginx-light)");
        try (GatewayProcess gateway = GatewayProcess.start("behind-nginx", Map.of())) {
            int port = freePort();
            Path dir = Files.createTempDirectory(BuiltArtifacts.workDir(), "nginx");
            Files.writeString(dir.resolve("nginx.conf"), """
                    daemon off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log;
                    events {}
                    http {
                        access_log %1$s/access.log;
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        server {
                            listen 127.0.0.1:%2$d;
                            location / {
                                proxy_pass http://127.0.0.1:%3$d;
                            }
                        }
                    }
                    """.formatted(dir, port, gateway.port()));
            Process nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            try {
                awaitListening(port);
                assertEquals(200, status(URI.create("http://127.0.0.1:" + port + "/health/ready")));
                OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1")
                        .apiKey("unused").maxRetries(0).build();
                assertEquals("Mock answer from mock to: through nginx",
                             Chat.content(client.chat().completions().create(Chat.ask("mock", "through nginx"))));
                StringBuilder text = new StringBuilder();
                try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                        .createStreaming(Chat.ask("mock", "streamed through nginx"))) {
                    stream.stream().forEach(chunk -> chunk.choices()
                            .forEach(choice -> choice.delta().content().ifPresent(text::append)));
                }
                assertEquals("Mock answer from mock to: streamed through nginx", text.toString());
                client.close();
                String access = Files.readString(dir.resolve("access.log"));
                assertTrue(access.contains("/v1/chat/completions"), access);
            } finally {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitListening(int port) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            try {
                status(URI.create("http://127.0.0.1:" + port + "/health/live"));
                return;
            } catch (ConnectException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx did not listen on " + port);
    }

    private static int status(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
