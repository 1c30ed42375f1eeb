package io.llmgateway.bench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * One long-lived {@code claude} process in stream-json mode, driven with as little in between as
 * possible: this thread writes a line to its stdin and reads its stdout itself (no reader thread, no
 * queue), parsing each JSON line only to see its type. That is the CLI's own turn time, the floor under
 * what any gateway can offer. A watchdog kills the process if one exchange takes too long.
 */
final class StreamJsonSession implements AutoCloseable {

    private static final JsonProvider JSON = JsonProvider.provider();

    private final Process process;
    private final OutputStream stdin;
    private final BufferedReader stdout;
    private final ScheduledExecutorService watchdog;
    private final Duration timeout;
    private long controlIds;

    private StreamJsonSession(Process process, ScheduledExecutorService watchdog, Duration timeout) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.watchdog = watchdog;
        this.timeout = timeout;
    }

    /**
     * Starts the process as the gateway does and waits for its answer to {@code initialize}.
     *
     * @return the session and how long spawn-to-ready took, in nanoseconds
     */
    static Started start(Claude claude, ScheduledExecutorService watchdog, Duration timeout)
            throws IOException {
        long begin = System.nanoTime();
        Process process = Children.track(claude.builder(claude.streamJson(), "bare").start());
        StreamJsonSession session = new StreamJsonSession(process, watchdog, timeout);
        try {
            session.control("initialize");
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        return new Started(session, System.nanoTime() - begin);
    }

    /**
     * @param session the ready session
     * @param nanos   spawn to the answer to {@code initialize}
     */
    record Started(StreamJsonSession session, long nanos) {
    }

    /**
     * One user turn, timed from before writing its line to after reading its {@code result} line.
     *
     * @param text the user message ({@code /clear} resets the context)
     * @return the times and the result
     */
    Turn turn(String text) throws IOException {
        ScheduledFuture<?> kill = arm();
        try {
            long start = System.nanoTime();
            write(JSON.createObjectBuilder()
                          .add("type", "user")
                          .add("message", JSON.createObjectBuilder().add("role", "user").add("content", text))
                          .build());
            long firstDelta = -1;
            while (true) {
                JsonObject line = nextJsonLine();
                String type = line.getString("type", "");
                if (type.equals("result")) {
                    long end = System.nanoTime();
                    return new Turn(start, firstDelta < 0 ? -1 : firstDelta - start, end - start,
                                    line.getString("result", ""), line.getBoolean("is_error", false));
                }
                if (firstDelta < 0 && type.equals("stream_event") && isTextDelta(line)) {
                    firstDelta = System.nanoTime();
                }
            }
        } finally {
            kill.cancel(false);
        }
    }

    /**
     * How one turn went.
     *
     * @param startNanos      {@link System#nanoTime()} before the line was written
     * @param firstDeltaNanos until the first {@code text_delta} stream event, -1 when none came
     * @param nanos           until the {@code result} line
     * @param result          the result text
     * @param isError         the result's {@code is_error}
     */
    record Turn(long startNanos, long firstDeltaNanos, long nanos, String result, boolean isError) {
    }

    /** Sends a control request and reads until its response (other lines are skipped). */
    void control(String subtype) throws IOException {
        ScheduledFuture<?> kill = arm();
        try {
            String id = "bench-" + (++controlIds);
            write(JSON.createObjectBuilder()
                          .add("type", "control_request")
                          .add("request_id", id)
                          .add("request", JSON.createObjectBuilder().add("subtype", subtype))
                          .build());
            while (true) {
                JsonObject line = nextJsonLine();
                if (line.getString("type", "").equals("control_response")
                        && line.get("response") instanceof JsonObject response
                        && id.equals(response.getString("request_id", ""))) {
                    if (!"success".equals(response.getString("subtype", ""))) {
                        throw new IOException("control request " + subtype + " failed: " + response);
                    }
                    return;
                }
            }
        } finally {
            kill.cancel(false);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Closes stdin (the CLI's way to stop), then kills whatever is left. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                Children.kill(process);
            }
        } catch (InterruptedException e) {
            Children.kill(process);
            Thread.currentThread().interrupt();
        }
    }

    private ScheduledFuture<?> arm() {
        return watchdog.schedule(() -> Children.kill(process), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void write(JsonObject message) throws IOException {
        stdin.write((message.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** The next stdout line that is a JSON object; the CLI prints other noise at times (ANSI escapes). */
    private JsonObject nextJsonLine() throws IOException {
        while (true) {
            String line = stdout.readLine();
            if (line == null) {
                throw new IOException("the claude process ended (killed after " + timeout.toSeconds()
                                              + " s without an answer, or crashed)");
            }
            if (line.startsWith("{")) {
                try {
                    return JSON.createReader(new StringReader(line)).readObject();
                } catch (RuntimeException e) {
                    // not JSON after all: skip it, as the gateway does
                }
            }
        }
    }

    private static boolean isTextDelta(JsonObject line) {
        return line.get("event") instanceof JsonObject event
                && "content_block_delta".equals(event.getString("type", ""))
                && event.get("delta") instanceof JsonObject delta
                && "text_delta".equals(delta.getString("type", ""))
                && delta.get("text") != JsonValue.NULL;
    }
}
