package io.llmgateway.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The built distribution running as a process of its own, started the way an operator starts it:
 * {@code bin/llm-gateway} configured by {@code LLM_*} variables, here on a free loopback port. Its stdout
 * (the request log) and stderr (diagnostics) go to {@code target/e2e/NAME.stdout.log} and
 * {@code NAME.stderr.log}, which stay after the run for diagnosis.
 */
final class GatewayProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    /** The request log is flushed every 200 ms, so a line can take that long to appear. */
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(50);

    private final String name;
    private final Output output;
    private final Process process;
    private final int port;
    private final OpenAIClient client;

    private GatewayProcess(String name, Output output, Process process, int port) {
        this.name = name;
        this.output = output;
        this.process = process;
        this.port = port;
        // No retries: the SDK would otherwise hide a failing first attempt behind a second one.
        this.client = OpenAIOkHttpClient.builder()
                .baseUrl(uri("/v1").toString())
                .apiKey("unused")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * Starts the gateway and waits until {@code /health/ready} answers 200.
     *
     * @param name     names the output files
     * @param settings environment variables on top of {@code LLM_HOST}, {@code LLM_PORT} and
     *                 {@code LLM_BACKEND=mock}, which they may override
     * @return the running gateway
     * @throws IOException          when the process cannot be started
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when the gateway exits or is not ready in time (with its stderr)
     */
    static GatewayProcess start(String name, Map<String, String> settings) throws IOException, InterruptedException {
        return start(name, settings, "/health/ready");
    }

    /**
     * Starts the gateway and waits only until it serves HTTP ({@code /health/live}), for tests of a
     * gateway whose backend cannot become ready.
     *
     * @param name     names the output files
     * @param settings environment variables, as for {@link #start(String, Map)}
     * @return the running gateway
     * @throws IOException          when the process cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    static GatewayProcess startLive(String name, Map<String, String> settings) throws IOException, InterruptedException {
        return start(name, settings, "/health/live");
    }

    /**
     * Starts the gateway with a lower limit of open files (soft and hard, as {@code ulimit -n} sets them),
     * and waits until it is ready.
     *
     * @param name      names the output files
     * @param settings  environment variables, as for {@link #start(String, Map)}
     * @param fileLimit the most file descriptors the process may hold
     * @return the running gateway
     * @throws IOException          when the process cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    static GatewayProcess startWithFileLimit(String name, Map<String, String> settings, int fileLimit)
            throws IOException, InterruptedException {
        return start(name, settings, "/health/ready",
                     List.of("sh", "-c", "ulimit -n " + fileLimit + " && exec \"$0\"", launcher()));
    }

    private static GatewayProcess start(String name, Map<String, String> settings, String probe)
            throws IOException, InterruptedException {
        return start(name, settings, probe, List.of(launcher()));
    }

    private static GatewayProcess start(String name, Map<String, String> settings, String probe, List<String> command)
            throws IOException, InterruptedException {
        int port = freePort();
        Output output = Output.named(name);
        GatewayProcess gateway = new GatewayProcess(name, output, launch(command, output, port, settings), port);
        try {
            gateway.awaitReady(probe);
        } catch (IOException | InterruptedException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /**
     * Starts the gateway for a run expected to end on its own, such as a configuration error.
     *
     * @param name     names the output files
     * @param settings environment variables, as for {@link #start}
     * @return how it ended
     * @throws IOException          when the process cannot be started
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when it is still running after the start timeout (it is then killed)
     */
    static Exited runToExit(String name, Map<String, String> settings) throws IOException, InterruptedException {
        return runToExit(name, settings, List.of());
    }

    /**
     * Runs {@code bin/llm-gateway} with arguments (such as {@code --help-config}) until it exits on its own.
     *
     * @param name      names the output files
     * @param settings  environment variables, as for {@link #start}
     * @param arguments the command line arguments
     * @return how it ended
     * @throws IOException          when the process cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    static Exited runToExit(String name, Map<String, String> settings, List<String> arguments)
            throws IOException, InterruptedException {
        Output output = Output.named(name);
        List<String> command = new java.util.ArrayList<>(List.of(launcher()));
        command.addAll(arguments);
        Process process = launch(command, output, freePort(), settings);
        if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(name + " was expected to exit but still ran after " + START_TIMEOUT);
        }
        return new Exited(process.exitValue(), output.stderr(), Output.read(output.stdoutFile()));
    }

    /**
     * An OpenAI SDK client for this gateway, closed with it.
     *
     * @return the client
     */
    OpenAIClient client() {
        return client;
    }

    /**
     * What the gateway wrote to stderr so far.
     *
     * @return the diagnostics
     */
    String stderr() {
        return output.stderr();
    }

    /**
     * What the gateway wrote to stdout so far: the request log.
     *
     * @return the lines
     */
    List<String> stdoutLines() {
        return output.stdoutLines();
    }

    /**
     * Waits until stdout has lines that match, since the request log reaches stdout in periodic flushes.
     *
     * @param wanted which lines
     * @return every matching line, at least one
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when no line matches in time
     */
    List<String> awaitStdoutLines(Predicate<String> wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(LOG_TIMEOUT);
        while (true) {
            List<String> lines = stdoutLines().stream().filter(wanted).toList();
            if (!lines.isEmpty()) {
                return lines;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " wrote no such line to stdout within " + LOG_TIMEOUT
                                                        + "; stdout:\n" + String.join("\n", stdoutLines()));
            }
            Thread.sleep(POLL);
        }
    }

    /**
     * Stops the gateway as an orchestrator would, with SIGTERM, and waits for it to exit.
     *
     * @throws IllegalStateException when it did not exit in time (it is then killed)
     */
    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends SIGTERM, as an orchestrator does, without waiting.
     */
    void terminate() {
        process.destroy();
    }

    /**
     * Waits for the process to exit.
     *
     * @param timeout how long at most
     * @return whether it exited in time
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The process id.
     *
     * @return the pid
     */
    long pid() {
        return process.pid();
    }

    /**
     * The port it listens on.
     *
     * @return the port
     */
    int port() {
        return port;
    }

    private void awaitReady(String probe) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                                                        + " before it was ready; stderr:\n" + stderr());
            }
            try {
                if (status(probe) == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(POLL);
        }
        throw new IllegalStateException(name + " was not ready within " + START_TIMEOUT + "; stderr:\n" + stderr());
    }

    /*
     * HttpURLConnection rather than java.net.http: the tests are compiled as part of the module
     * io.llmgateway.e2e (see module-info.java), which reads java.base only.
     */
    private int status(String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri(path).toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    /**
     * GETs a JSON document from the gateway (such as {@code /sessions}).
     *
     * @param path the path
     * @return the document
     * @throws IOException when the request fails
     */
    JsonObject getJson(String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri(path).toURL().openConnection();
        try (InputStream body = connection.getResponseCode() < 400 ? connection.getInputStream()
                : connection.getErrorStream()) {
            return Json.createReader(body).readObject();
        } finally {
            connection.disconnect();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String launcher() {
        return BuiltArtifacts.distribution().resolve("bin/llm-gateway").toString();
    }

    private static Process launch(List<String> command, Output output, int port, Map<String, String> settings)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(output.stdoutFile().toFile())
                .redirectError(output.stderrFile().toFile());
        Map<String, String> environment = builder.environment();
        // Only the test's settings count: LLM_* variables of whoever runs the build must not change the outcome.
        environment.keySet().removeIf(key -> key.startsWith("LLM_"));
        environment.put("LLM_HOST", "127.0.0.1");
        environment.put("LLM_PORT", Integer.toString(port));
        environment.put("LLM_BACKEND", "mock");
        environment.putAll(settings);
        return builder.start();
    }

    /** A port free now; another process could take it before the gateway binds, which is rare enough here. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * How a run that ended on its own ended.
     *
     * @param status the exit status
     * @param stderr everything written to stderr
     * @param stdout everything written to stdout
     */
    record Exited(int status, String stderr, String stdout) {
    }

    /** The files a gateway's stdout and stderr go to. */
    private record Output(Path stdoutFile, Path stderrFile) {

        static Output named(String name) {
            Path dir = BuiltArtifacts.workDir();
            return new Output(dir.resolve(name + ".stdout.log"), dir.resolve(name + ".stderr.log"));
        }

        String stderr() {
            return read(stderrFile);
        }

        /** Complete lines only: a line still being written is left for the next look. */
        List<String> stdoutLines() {
            String written = read(stdoutFile);
            return written.substring(0, written.lastIndexOf('\n') + 1).lines().toList();
        }

        static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
