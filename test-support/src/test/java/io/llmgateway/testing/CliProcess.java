package io.llmgateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.json.JsonObject;

/**
 * A CLI process (the fake through its launcher, or the real one) driven over stdin and stdout the way a
 * process pool drives it: JSON lines in, lines out, read on a thread of their own so a test can wait for
 * a line with a timeout.
 */
final class CliProcess implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** What a process pool passes to the real CLI. */
    static final List<String> STREAM_JSON_FLAGS = List.of("-p", "--input-format", "stream-json", "--output-format",
            "stream-json", "--verbose", "--include-partial-messages", "--tools", "", "--no-session-persistence",
            "--setting-sources", "");

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private int requestIds;

    private CliProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), stdout::add));
        Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                line -> stderr.append(line).append('\n')));
    }

    /** Starts the command with the pool's flags plus these, in its own empty working directory. */
    static CliProcess start(List<String> command, Path workDir, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            builder.environment().putAll(environment);
            return new CliProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the fake through a launcher with these behaviour variables and the pool's flags. */
    static CliProcess fake(Path dir, Map<String, String> behaviour, String... moreFlags) {
        Path launcher = FakeClaudeCli.launcher(dir, behaviour);
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(STREAM_JSON_FLAGS);
        command.addAll(List.of(moreFlags));
        return start(command, dir, Map.of());
    }

    void send(String jsonLine) {
        try {
            stdin.write(jsonLine + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void sendUser(String text) {
        send(Jsons.object().add("type", "user")
                .add("message", Jsons.object().add("role", "user").add("content", text)).build().toString());
    }

    /** Sends a control request; {@return its request id} */
    String sendControl(String subtype) {
        String id = "req_" + ++requestIds;
        send(Jsons.object().add("type", "control_request").add("request_id", id)
                .add("request", Jsons.object().add("subtype", subtype)).build().toString());
        return id;
    }

    /** {@return the next line, JSON or not} */
    String nextLine(Duration timeout) {
        try {
            String line = stdout.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line within " + timeout + "; stderr: " + stderr);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@return whether no line arrives within the time} */
    boolean silentFor(Duration time) throws InterruptedException {
        return stdout.poll(time.toNanos(), TimeUnit.NANOSECONDS) == null;
    }

    /** {@return the lines up to and including the first that matches; non-JSON lines as they are} */
    List<String> linesUntil(Predicate<JsonObject> last) {
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String line = nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            lines.add(line);
            JsonObject json = Jsons.parseObject(line);
            if (json != null && last.test(json)) {
                return lines;
            }
        }
    }

    /** {@return the JSON lines up to and including the next {@code result}; non-JSON lines dropped} */
    List<JsonObject> turn() {
        return linesUntil(json -> "result".equals(Jsons.string(json, "type"))).stream()
                .map(Jsons::parseObject).filter(Objects::nonNull).toList();
    }

    /** {@return the control response to the request} */
    JsonObject controlResponse(String requestId) {
        List<String> lines = linesUntil(json -> json.get("response") instanceof JsonObject response
                && requestId.equals(Jsons.string(response, "request_id")));
        return Jsons.parseObject(lines.getLast()).getJsonObject("response");
    }

    void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the exit status, waiting for it} */
    int exitStatus() throws InterruptedException {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the process did not exit within " + TIMEOUT);
        }
        return process.exitValue();
    }

    Process process() {
        return process;
    }

    String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(BufferedReader reader, Consumer<String> sink) {
        try (reader) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }
}
