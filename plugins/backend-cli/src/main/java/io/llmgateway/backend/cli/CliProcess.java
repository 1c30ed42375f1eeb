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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * One {@code claude} process in stream-json mode: writes JSON lines to its stdin and reads its stdout and
 * stderr, each on a platform thread of its own, so no virtual thread ever blocks on one of its pipes. A
 * caller waits for its line to be written (parked) for at most {@link #STDIN_TIMEOUT}: a process that stops
 * reading its input for that long is hung: it is killed, which ends the blocked write. Control responses complete the
 * matching {@link #control} call; control requests the CLI sends its parent (its sdk MCP server's messages,
 * permission questions) go to the {@link ControlRequests} handler, on the reader's thread; every other line is
 * queued as an {@link Event} for the turn in progress; lines that are not JSON are skipped. When stdout ends,
 * an {@link Event.Exited} is queued and pending control calls fail.
 */
final class CliProcess implements ControlChannel {

    static final JsonProvider JSON = JsonProvider.provider();

    /** The longest a write to stdin may take; a process that reads nothing for that long is hung. */
    static final Duration STDIN_TIMEOUT = Duration.ofSeconds(10);

    private static final int STDERR_LINES = 20;
    /** Queued after the last line: the stdin writer closes stdin and ends. */
    private static final Write CLOSE = new Write("");

    private final Process process;
    private final BufferedWriter stdin;
    private final BlockingQueue<Write> writes = new LinkedBlockingQueue<>();
    private volatile boolean stdinClosed;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<JsonObject>> pendingControls = new ConcurrentHashMap<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CountDownLatch stderrEnded = new CountDownLatch(1);
    private final AtomicLong controlIds = new AtomicLong();
    private final ControlRequests controlRequests;
    private volatile boolean exited;

    private CliProcess(Process process, ControlRequests controlRequests) {
        this.process = process;
        this.controlRequests = controlRequests;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a process and its readers.
     *
     * @param command the command line
     * @param cwd     working directory
     * @param env     variables to set on top of the gateway's environment
     * @param name    names the reader threads
     * @param handler answers the control requests the process sends
     * @return the running process
     * @throws IOException when the command cannot be started (not found, not executable)
     */
    static CliProcess start(List<String> command, Path cwd, Map<String, String> env, String name,
                            ControlRequests handler) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().putAll(env);
        CliProcess cli = new CliProcess(builder.start(), handler);
        // platform threads: a pipe read blocks its thread in the kernel, and on a virtual thread it would hold a
        // carrier for as long as the session is idle, until none is left to serve HTTP
        Thread.ofPlatform().daemon().name(name + "-stdout").start(cli::readStdout);
        Thread.ofPlatform().daemon().name(name + "-stderr").start(cli::readStderr);
        Thread.ofPlatform().daemon().name(name + "-stdin").start(cli::writeStdin);
        cli.process.onExit().thenRun(() -> cli.writes.add(CLOSE)); // the writer ends with the process
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
     * Writes one JSON line, waiting (parked) until it is written, for at most {@link #STDIN_TIMEOUT}.
     *
     * @param message the message
     * @throws IOException when stdin is closed (the process is gone), or the process did not read the line in
     *                     time (it is then killed)
     */
    void send(JsonObject message) throws IOException, InterruptedException {
        Write write = new Write(message.toString());
        writes.add(write);
        if (stdinClosed) {
            write.done.completeExceptionally(new IOException("stdin is closed")); // the writer is gone
        }
        try {
            write.done.get(STDIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kill(); // ends the blocked write: the pipe closes
            throw new IOException("the claude process read nothing of its input for " + STDIN_TIMEOUT.toSeconds()
                                          + " s; it was killed");
        } catch (ExecutionException e) {
            throw new IOException("the claude process no longer reads its input", e.getCause());
        }
    }

    /**
     * Sends a user turn.
     *
     * @param text what the user says
     * @throws IOException when the process is gone or does not read it
     */
    void sendUserTurn(String text) throws IOException, InterruptedException {
        sendUserTurn(JSON.createValue(text));
    }

    /**
     * Sends a user turn of content blocks (text and images) or of one string.
     *
     * @param content the message's {@code content}
     * @throws IOException when the process is gone or does not read it
     */
    void sendUserTurn(JsonValue content) throws IOException, InterruptedException {
        send(JSON.createObjectBuilder()
                     .add("type", "user")
                     .add("message", JSON.createObjectBuilder().add("role", "user").add("content", content))
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
        return control(JSON.createObjectBuilder().add("subtype", subtype).build(), timeout);
    }

    /**
     * Sends a control request and waits for its response.
     *
     * @param request the request ({@code subtype} and its fields)
     * @param timeout how long to wait
     * @return the response payload
     * @throws IOException      when the process is gone or answers with an error
     * @throws TimeoutException when it does not answer in time
     */
    @Override
    public JsonObject control(JsonObject request, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        String id = "gw-" + controlIds.incrementAndGet();
        CompletableFuture<JsonObject> response = new CompletableFuture<>();
        pendingControls.put(id, response);
        try {
            if (exited) {
                throw new IOException("the claude process has exited");
            }
            long until = System.nanoTime() + timeout.toNanos();
            send(JSON.createObjectBuilder()
                         .add("type", "control_request")
                         .add("request_id", id)
                         .add("request", request)
                         .build());
            return response.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            pendingControls.remove(id);
        }
    }

    /**
     * Queues a control request without waiting for it to be written or answered (an interrupt: the turn's
     * end says enough, and a process that does not read it is found out by the turn's own timeout).
     *
     * @param subtype the control subtype
     */
    void controlWithoutWaiting(String subtype) {
        writes.add(new Write(JSON.createObjectBuilder()
                                     .add("type", "control_request")
                                     .add("request_id", "gw-" + controlIds.incrementAndGet())
                                     .add("request", JSON.createObjectBuilder().add("subtype", subtype))
                                     .build()
                                     .toString()));
    }

    /**
     * Answers a control request of the process, without waiting for the line to be written (the reader's
     * thread calls this, and must never block on stdin).
     *
     * @param requestId the request's {@code request_id}
     * @param response  the answer's payload
     */
    @Override
    public void respond(String requestId, JsonObject response) {
        writes.add(new Write(JSON.createObjectBuilder()
                                     .add("type", "control_response")
                                     .add("response", JSON.createObjectBuilder()
                                             .add("subtype", "success")
                                             .add("request_id", requestId)
                                             .add("response", response))
                                     .build()
                                     .toString()));
    }

    /**
     * Refuses a control request of the process, without waiting.
     *
     * @param requestId the request's {@code request_id}
     * @param error     why, in words
     */
    @Override
    public void respondError(String requestId, String error) {
        writes.add(new Write(JSON.createObjectBuilder()
                                     .add("type", "control_response")
                                     .add("response", JSON.createObjectBuilder()
                                             .add("subtype", "error")
                                             .add("request_id", requestId)
                                             .add("error", error))
                                     .build()
                                     .toString()));
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

    /**
     * The last lines the process wrote on stderr, once it has closed stderr (it exited) or a time has passed:
     * what a process that failed at start printed may still be on its way.
     *
     * @param wait the longest wait
     * @return the lines
     */
    String stderrTailAfterExit(Duration wait) throws InterruptedException {
        stderrEnded.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        return stderrTail();
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
        writes.add(CLOSE); // after the lines already queued; a writer stuck on a full pipe is ended by the signals
        try {
            if (!exitsWithin(grace)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!exitsWithin(grace)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    exitsWithin(grace);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the exit parked on a future, not in {@code Process.waitFor}, which holds a virtual thread's carrier on JDK 21. */
    private boolean exitsWithin(Duration grace) throws InterruptedException {
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }

    /** Kills the process at once (it hangs or misbehaves). */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The stdin writer: one line at a time, in order; after a failed write every later one fails too. */
    private void writeStdin() {
        IOException broken = null;
        try {
            while (true) {
                Write write = writes.take();
                if (write == CLOSE) {
                    break;
                }
                if (broken == null) {
                    try {
                        stdin.write(write.line);
                        stdin.write('\n');
                        stdin.flush();
                    } catch (IOException e) {
                        broken = e;
                    }
                }
                if (broken == null) {
                    write.done.complete(null);
                } else {
                    write.done.completeExceptionally(broken);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // the process is gone
        }
        stdinClosed = true;
        IOException closed = new IOException("stdin is closed");
        writes.forEach(write -> write.done.completeExceptionally(closed));
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
        String type = message.getString("type", "");
        if (type.equals("control_request")) {
            if (message.get("request") instanceof JsonObject request) {
                try {
                    controlRequests.handle(this, message.getString("request_id", ""), request);
                } catch (RuntimeException e) {
                    respondError(message.getString("request_id", ""), "the gateway could not answer this request");
                }
            }
            return;
        }
        if (!type.equals("control_response")) {
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
        } finally {
            stderrEnded.countDown();
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

    /** A line for the stdin writer, and its completion. */
    private static final class Write {
        private final String line;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        private Write(String line) {
            this.line = line;
        }
    }

    /** Answers the control requests a process sends its parent; called on the process's stdout reader thread. */
    @FunctionalInterface
    interface ControlRequests {
        /**
         * Handles one request; the answer goes through {@link ControlChannel#respond} or {@link ControlChannel#respondError},
         * now or later.
         *
         * @param channel   the process that asks
         * @param requestId the request's {@code request_id}
         * @param request   the request ({@code subtype} and its fields)
         */
        void handle(ControlChannel channel, String requestId, JsonObject request);
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
