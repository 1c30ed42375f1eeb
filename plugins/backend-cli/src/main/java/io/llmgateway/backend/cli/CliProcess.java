package io.llmgateway.backend.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * One {@code claude} process in stream-json mode: writes JSON lines to its stdin, and reads its stdout
 * on a platform thread of its own. Control responses complete the matching {@link #control} call; every other
 * line is queued as an {@link Event} for the turn in progress; lines that are not JSON are skipped.
 * When stdout ends, an {@link Event.Exited} is queued and pending control calls fail.
 */
final class CliProcess {

    static final JsonProvider JSON = JsonProvider.provider();

    private static final int STDERR_LINES = 20;

    private final Process process;
    private final BufferedWriter stdin;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<JsonObject>> pendingControls = new ConcurrentHashMap<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final AtomicLong controlIds = new AtomicLong();
    private volatile boolean exited;

    private CliProcess(Process process) {
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a process and its readers.
     *
     * @param command the command line
     * @param cwd     working directory
     * @param env     variables to set on top of the gateway's environment
     * @param name    names the reader threads
     * @return the running process
     * @throws IOException when the command cannot be started (not found, not executable)
     */
    static CliProcess start(List<String> command, Path cwd, Map<String, String> env, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().putAll(env);
        CliProcess cli = new CliProcess(builder.start());
        // platform threads: a pipe read blocks its thread in the kernel, and on a virtual thread it would hold a
        // carrier for as long as the session is idle, until none is left to serve HTTP
        Thread.ofPlatform().daemon().name(name + "-stdout").start(cli::readStdout);
        Thread.ofPlatform().daemon().name(name + "-stderr").start(cli::readStderr);
        return cli;
    }

    /**
     * Runs an action when the process exits, for whatever reason (kill -9 included).
     *
     * @param action what to do
     */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return !exited && process.isAlive();
    }

    /**
     * Writes one JSON line.
     *
     * @param message the message
     * @throws IOException when stdin is closed (the process is gone)
     */
    void send(JsonObject message) throws IOException {
        writeLock.lock();
        try {
            stdin.write(message.toString());
            stdin.write('\n');
            stdin.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends a user turn.
     *
     * @param text what the user says
     * @throws IOException when the process is gone
     */
    void sendUserTurn(String text) throws IOException {
        send(JSON.createObjectBuilder()
                     .add("type", "user")
                     .add("message", JSON.createObjectBuilder().add("role", "user").add("content", text))
                     .build());
    }

    /**
     * Sends a control request and waits for its response.
     *
     * @param subtype {@code initialize}, {@code mcp_status}, {@code interrupt}, ...
     * @param timeout how long to wait
     * @return the response payload
     * @throws IOException      when the process is gone or answers with an error
     * @throws TimeoutException when it does not answer in time
     */
    JsonObject control(String subtype, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        String id = "gw-" + controlIds.incrementAndGet();
        CompletableFuture<JsonObject> response = new CompletableFuture<>();
        pendingControls.put(id, response);
        try {
            if (exited) {
                throw new IOException("the process has exited");
            }
            send(JSON.createObjectBuilder()
                         .add("type", "control_request")
                         .add("request_id", id)
                         .add("request", JSON.createObjectBuilder().add("subtype", subtype))
                         .build());
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            pendingControls.remove(id);
        }
    }

    /**
     * Sends a control request without waiting for the answer (an interrupt: the turn's end says enough).
     *
     * @param subtype the control subtype
     */
    void controlWithoutWaiting(String subtype) {
        try {
            send(JSON.createObjectBuilder()
                         .add("type", "control_request")
                         .add("request_id", "gw-" + controlIds.incrementAndGet())
                         .add("request", JSON.createObjectBuilder().add("subtype", subtype))
                         .build());
        } catch (IOException e) {
            // the process is gone; its Exited event tells the turn
        }
    }

    /**
     * The next queued line or exit, waiting up to a timeout.
     *
     * @param timeout how long to wait
     * @return the event, or empty when none came in time
     */
    Optional<Event> nextEvent(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(events.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
    }

    /** Drops lines left from earlier turns (late status lines), keeping an exit. */
    void discardQueuedLines() {
        events.removeIf(event -> event instanceof Event.Line);
    }

    /** The last lines the process wrote on stderr, for diagnostics. */
    String stderrTail() {
        synchronized (stderrTail) {
            return String.join(" | ", stderrTail);
        }
    }

    /**
     * Stops the process: close stdin and wait, then SIGTERM and wait, then SIGKILL.
     *
     * @param grace how long each step waits
     */
    void stop(Duration grace) {
        try {
            writeLock.lock();
            try {
                stdin.close();
            } finally {
                writeLock.unlock();
            }
        } catch (IOException e) {
            // already closed
        }
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process at once (it hangs or misbehaves). */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                              StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                parse(line).ifPresent(this::dispatch);
            }
        } catch (IOException e) {
            // stdout closed under us: the process is gone
        }
        int status = exitStatus();
        exited = true;
        IOException gone = new IOException("the claude process exited (status " + status + ")");
        pendingControls.values().forEach(pending -> pending.completeExceptionally(gone));
        events.add(new Event.Exited(status));
    }

    private void dispatch(JsonObject message) {
        if (!"control_response".equals(message.getString("type", ""))) {
            events.add(new Event.Line(message));
            return;
        }
        JsonObject response = message.getJsonObject("response");
        if (response == null) {
            return;
        }
        CompletableFuture<JsonObject> pending = pendingControls.get(response.getString("request_id", ""));
        if (pending == null) {
            return;
        }
        if ("success".equals(response.getString("subtype", ""))) {
            JsonValue payload = response.get("response");
            pending.complete(payload instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT);
        } else {
            pending.completeExceptionally(new IOException("control request failed: " + response.getString("error", "")));
        }
    }

    private static Optional<JsonObject> parse(String line) {
        if (line.isEmpty() || line.charAt(0) != '{') {
            return Optional.empty(); // the CLI prints ANSI escapes and other noise at times
        }
        try {
            return Optional.of(JSON.createReader(new StringReader(line)).readObject());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                                                                              StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private int exitStatus() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What the stdout reader hands to the turn in progress. */
    sealed interface Event {
        /**
         * A JSON line other than a control response.
         *
         * @param json the line
         */
        record Line(JsonObject json) implements Event {
            String type() {
                return json.getString("type", "");
            }
        }

        /**
         * The process ended.
         *
         * @param status its exit status
         */
        record Exited(int status) implements Event {
        }
    }
}
