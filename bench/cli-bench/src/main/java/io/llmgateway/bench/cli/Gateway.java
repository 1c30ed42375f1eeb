package io.llmgateway.bench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * The gateway's distribution ({@code bin/llm-gateway}) running the cli backend against the fake API, on
 * 127.0.0.1 and a free port, and a JDK {@link HttpClient} (HTTP/1.1, keep-alive) to call it. Its stdout,
 * the request log, goes to {@code <work>/gateway.stdout}; its stderr to {@code <work>/gateway.stderr}.
 */
final class Gateway implements AutoCloseable {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^ ]*:(\\d+)/v1");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final HttpClient client;
    private int port;

    private Gateway(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        // The client's own work runs on its selector thread instead of being handed to a pool thread:
        // on a loaded 2-core machine every handoff can wait for a core, and that is not the gateway's time.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Runnable::run)
                .build();
    }

    /**
     * Starts the gateway and waits until its whole warm pool is idle.
     *
     * @param home     the distribution (a private copy)
     * @param claude   the CLI it runs
     * @param upstream the fake API's base URL
     * @param poolSize {@code LLM_POOL_SIZE}
     * @param work     where its logs, pid file and session directories go
     * @param javaOpts {@code JAVA_OPTS} for its JVM (may be empty)
     */
    static Gateway start(Path home, Path claude, String upstream, int poolSize, Path work, String javaOpts)
            throws IOException, InterruptedException {
        Path cwd = Files.createDirectories(work.resolve("gateway-cwd"));
        Path sessions = Files.createDirectories(work.resolve("gateway-sessions"));
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/llm-gateway").toString())
                .directory(cwd.toFile())
                .redirectOutput(work.resolve("gateway.stdout").toFile())
                .redirectError(work.resolve("gateway.stderr").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("LLM_")); // only the settings below, whatever the caller has
        Claude.environment(env, upstream);
        env.put("LLM_BACKEND", "cli");
        env.put("LLM_CLI_COMMAND", claude.toString());
        env.put("LLM_HOST", "127.0.0.1");
        env.put("LLM_PORT", "0");
        env.put("LLM_POOL_SIZE", Integer.toString(poolSize));
        env.put("LLM_KEEP_ALIVE_INTERVAL", "3600"); // no pings in the middle of the measurements
        env.put("LLM_CLI_WORK_DIR", sessions.toString());
        env.put("JAVA_OPTS", javaOpts);
        Gateway gateway = new Gateway(Children.track(builder.start()), work.resolve("gateway.stdout"),
                                      work.resolve("gateway.stderr"));
        Files.writeString(work.resolve("gateway.pid"), gateway.process.pid() + "\n");
        try {
            gateway.awaitPool(poolSize);
        } catch (IOException | InterruptedException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void awaitPool(int poolSize) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (port == 0) {
            checkAlive(deadline);
            Matcher matcher = LISTENING.matcher(Files.readString(stderr));
            if (matcher.find()) {
                port = Integer.parseInt(matcher.group(1));
            } else {
                Thread.sleep(50);
            }
        }
        while (sessions().stream().filter(s -> "idle".equals(s.getString("state", ""))).count() < poolSize) {
            checkAlive(deadline);
            Thread.sleep(50);
        }
    }

    private void checkAlive(long deadline) throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("the gateway exited (status " + process.exitValue() + "); stderr:\n"
                                                    + Files.readString(stderr));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the gateway's pool was not warm within 60 s; stderr:\n"
                                                    + Files.readString(stderr));
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * A non-streamed chat completion, timed from before sending to after reading the whole body.
     *
     * @param requestId sent as {@code x-request-id}, to find the request's log line
     * @param prompt    the user message
     * @return the time and the answer's content
     */
    Answer chat(String requestId, String prompt) throws IOException, InterruptedException {
        HttpRequest request = post(requestId, body(prompt, false));
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IOException("request " + requestId + ": status " + response.statusCode() + ": "
                                          + response.body());
        }
        JsonObject body = parse(response.body());
        String content = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
        return new Answer(start, -1, nanos, content);
    }

    /**
     * A streamed chat completion: the time to the first chunk with content, and to {@code data: [DONE]}.
     *
     * @param requestId sent as {@code x-request-id}
     * @param prompt    the user message
     * @return the times and the content put together
     */
    Answer chatStreamed(String requestId, String prompt) throws IOException, InterruptedException {
        HttpRequest request = post(requestId, body(prompt, true));
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                                                                              StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new IOException("request " + requestId + ": status " + response.statusCode() + ": "
                                              + String.join("\n", reader.lines().toList()));
            }
            long firstContent = -1;
            StringBuilder content = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    long nanos = System.nanoTime() - start;
                    while (reader.readLine() != null) {
                        // read to the end, so the connection goes back to the client's pool
                    }
                    return new Answer(start, firstContent - start, nanos, content.toString());
                }
                JsonObject chunk = parse(data);
                if (chunk.containsKey("error")) {
                    throw new IOException("request " + requestId + ": error event: " + data);
                }
                JsonArray choices = chunk.getJsonArray("choices");
                if (choices != null && !choices.isEmpty()
                        && choices.getJsonObject(0).get("delta") instanceof JsonObject delta
                        && delta.get("content") instanceof JsonString text && !text.getString().isEmpty()) {
                    if (firstContent < 0) {
                        firstContent = System.nanoTime();
                    }
                    content.append(text.getString());
                }
            }
            throw new IOException("request " + requestId + ": the stream ended without data: [DONE]");
        }
    }

    /**
     * One answer as the client saw it.
     *
     * @param startNanos        {@link System#nanoTime()} before the request was sent
     * @param firstContentNanos until the first chunk with content (streamed only, else -1)
     * @param nanos             until the whole answer was read
     * @param content           the answer's text
     */
    record Answer(long startNanos, long firstContentNanos, long nanos, String content) {
    }

    /** {@code GET /health/live}, timed like a chat request; returns nanoseconds. */
    long live() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri("/health/live")).timeout(REQUEST_TIMEOUT).build();
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IOException("GET /health/live: status " + response.statusCode());
        }
        return nanos;
    }

    /** {@code GET /sessions}: the session objects. */
    List<JsonObject> sessions() throws IOException, InterruptedException {
        return parse(get("/sessions")).getJsonArray("sessions").getValuesAs(JsonObject.class);
    }

    /** {@code GET /metrics}: the Prometheus text. */
    String metrics() throws IOException, InterruptedException {
        return get("/metrics");
    }

    /** The sum of a metric's samples in Prometheus text (0 when absent). */
    static double metric(String text, String name) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The lines of a metric in Prometheus text, e.g. every {@code llm_sessions_total{status=...}}. */
    static List<String> metricLines(String text, String name) {
        return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")).toList();
    }

    /**
     * The request log (the gateway's stdout) by request id. Call after {@link #close()}, or allow for
     * the log's periodic flush.
     */
    Map<String, JsonObject> requestLog() throws IOException {
        Map<String, JsonObject> lines = new HashMap<>();
        for (String line : Files.readAllLines(stdout)) {
            if (line.startsWith("{")) {
                try {
                    JsonObject json = parse(line);
                    lines.put(json.getString("request_id", ""), json);
                } catch (RuntimeException e) {
                    // not a log line
                }
            }
        }
        return lines;
    }

    /** Stops the gateway with SIGTERM (it stops its claude processes), then kills what is left. */
    @Override
    public void close() {
        client.close();
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                Children.kill(process);
            }
        } catch (InterruptedException e) {
            Children.kill(process);
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private HttpRequest post(String requestId, String body) {
        return HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .timeout(REQUEST_TIMEOUT)
                .header("content-type", "application/json")
                .header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).build(),
                                                     HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": status " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String body(String prompt, boolean stream) {
        var body = JSON.createObjectBuilder()
                .add("model", "claude-sonnet")
                .add("messages", JSON.createArrayBuilder()
                        .add(JSON.createObjectBuilder().add("role", "user").add("content", prompt)));
        if (stream) {
            body.add("stream", JsonValue.TRUE);
        }
        return body.build().toString();
    }

    private static JsonObject parse(String text) {
        return JSON.createReader(new StringReader(text)).readObject();
    }
}
