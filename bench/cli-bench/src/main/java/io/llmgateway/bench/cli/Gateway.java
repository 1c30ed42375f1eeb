package io.llmgateway.bench.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * 127.0.0.1 and a free port, with the mock backend enabled next to it for JIT warm-up, and a bare-socket
 * client ({@link HttpConnection}, a kept-alive connection per calling thread) to call it. Its stdout,
 * the request log, goes to {@code <work>/gateway.stdout}; its stderr to {@code <work>/gateway.stderr}.
 */
final class Gateway implements AutoCloseable {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^ ]*:(\\d+)/v1");

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final ThreadLocal<HttpConnection> connections = new ThreadLocal<>();
    private final Queue<HttpConnection> opened = new ConcurrentLinkedQueue<>();
    private volatile int port;

    private Gateway(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
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
        env.put("LLM_BACKENDS", "cli,mock"); // mock only serves model "mock": the warm-up's
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
    Answer chat(String requestId, String prompt) throws IOException {
        String body = body(prompt, false);
        long start = System.nanoTime();
        HttpConnection.Response response = connection().send("POST", "/v1/chat/completions", requestId, body, null);
        long nanos = System.nanoTime() - start;
        if (response.status() != 200) {
            throw new IOException("request " + requestId + ": status " + response.status() + ": " + response.body());
        }
        JsonObject answer = parse(response.body());
        String content = answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
        return new Answer(start, -1, nanos, content);
    }

    /**
     * A non-streamed chat completion with a body of the caller's, timed like {@link #chat}.
     *
     * @param requestId sent as {@code x-request-id}
     * @param body      the request body
     * @return the time and the whole answer
     */
    Posted post(String requestId, JsonObject body) throws IOException {
        long start = System.nanoTime();
        HttpConnection.Response response = connection().send("POST", "/v1/chat/completions", requestId,
                                                              body.toString(), null);
        long nanos = System.nanoTime() - start;
        if (response.status() != 200) {
            throw new IOException("request " + requestId + ": status " + response.status() + ": " + response.body());
        }
        return new Posted(nanos, parse(response.body()));
    }

    /**
     * A whole answer and how long it took.
     *
     * @param nanos  from before sending to after reading the body
     * @param answer the chat completion
     */
    record Posted(long nanos, JsonObject answer) {
        /** {@return the answer's first choice's message} */
        JsonObject message() {
            return answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        }
    }

    /**
     * A streamed chat completion: the time to the first chunk with content, and to {@code data: [DONE]}.
     *
     * @param requestId sent as {@code x-request-id}
     * @param prompt    the user message
     * @return the times and the content put together
     */
    Answer chatStreamed(String requestId, String prompt) throws IOException {
        String body = body(prompt, true);
        long[] firstContent = {-1};
        long[] done = {-1};
        StringBuilder content = new StringBuilder();
        long start = System.nanoTime();
        HttpConnection.Response response = connection().send("POST", "/v1/chat/completions", requestId, body, line -> {
            if (!line.startsWith("data: ") || done[0] >= 0) {
                return;
            }
            String data = line.substring(6);
            if (data.equals("[DONE]")) {
                done[0] = System.nanoTime();
                return;
            }
            JsonObject chunk = parse(data);
            JsonArray choices = chunk.getJsonArray("choices");
            if (choices != null && !choices.isEmpty()
                    && choices.getJsonObject(0).get("delta") instanceof JsonObject delta
                    && delta.get("content") instanceof JsonString text && !text.getString().isEmpty()) {
                if (firstContent[0] < 0) {
                    firstContent[0] = System.nanoTime();
                }
                content.append(text.getString());
            }
        });
        if (response.status() != 200 || response.body().contains("data: {\"error\"")) {
            throw new IOException("request " + requestId + ": status " + response.status() + ": " + response.body());
        }
        if (done[0] < 0) {
            throw new IOException("request " + requestId + ": the stream ended without data: [DONE]");
        }
        return new Answer(start, firstContent[0] - start, done[0] - start, content.toString());
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
    long live() throws IOException {
        long start = System.nanoTime();
        HttpConnection.Response response = connection().send("GET", "/health/live", null, null, null);
        long nanos = System.nanoTime() - start;
        if (response.status() != 200) {
            throw new IOException("GET /health/live: status " + response.status());
        }
        return nanos;
    }

    /**
     * A non-streamed request to the mock backend (model {@code mock}), which shares the gateway's HTTP,
     * JSON and logging path with the cli backend: thousands of them bring that path to the JIT's top
     * tier, as a gateway that has run for a while has it, in seconds instead of the hours the cli
     * backend's 20 ms turns would take.
     */
    void warmUpWithMock() throws IOException {
        String body = JSON.createObjectBuilder()
                .add("model", "mock")
                .add("messages", JSON.createArrayBuilder()
                        .add(JSON.createObjectBuilder().add("role", "user").add("content", CliBench.PROMPT)))
                .build().toString();
        HttpConnection.Response response = connection().send("POST", "/v1/chat/completions", null, body, null);
        if (response.status() != 200) {
            throw new IOException("mock warm-up request: status " + response.status() + ": " + response.body());
        }
    }

    /** {@code GET /sessions}: the session objects. */
    List<JsonObject> sessions() throws IOException {
        return parse(get("/sessions")).getJsonArray("sessions").getValuesAs(JsonObject.class);
    }

    /** {@code GET /metrics}: the Prometheus text. */
    String metrics() throws IOException {
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
        for (HttpConnection connection : opened) {
            try {
                connection.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
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

    private String get(String path) throws IOException {
        HttpConnection.Response response = connection().send("GET", path, null, null, null);
        if (response.status() != 200) {
            throw new IOException("GET " + path + ": status " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    /** The calling thread's connection (the concurrent clients have one each). */
    private HttpConnection connection() throws IOException {
        HttpConnection connection = connections.get();
        if (connection == null) {
            connection = new HttpConnection(port);
            connections.set(connection);
            opened.add(connection);
        }
        return connection;
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
