package io.llmgateway.host.observe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

import io.llmgateway.host.http.Secrets;

/**
 * One JSON line per request, on stdout. Lines collect in memory and a thread of the log's own writes them
 * out every 200 ms (and at close), so logging costs a memory copy on the request path, never a system
 * call, and a stdout that stops draining (a stalled log collector) stalls no request: once
 * {@value #CAPACITY} bytes wait, further lines are dropped and counted ({@code llm_log_lines_dropped_total}).
 */
public final class RequestLog implements AutoCloseable {

    static final int CAPACITY = 8 << 20;
    private static final long FLUSH_MILLIS = 200;

    private final OutputStream out;
    private final Runnable dropped;
    private final ReentrantLock pendingLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(64 * 1024);
    private final Thread writer;
    private volatile boolean closed;

    /**
     * Creates a log writing to a stream.
     *
     * @param sink    where lines go (stdout in production)
     * @param dropped told of each line dropped because the sink does not keep up
     */
    public RequestLog(OutputStream sink, Runnable dropped) {
        this.out = sink;
        this.dropped = dropped;
        this.writer = Thread.ofPlatform().daemon().name("llm-gateway-request-log").start(this::writeEvery200Ms);
    }

    /**
     * Writes one line.
     *
     * @param line the line
     */
    public void write(LogLine line) {
        // a backend's annotation or a client's model name may carry a configured secret
        byte[] bytes = Secrets.installed().scrub(line.toJson()).getBytes(StandardCharsets.UTF_8);
        pendingLock.lock();
        try {
            if (pending.size() + bytes.length + 1 > CAPACITY) {
                dropped.run();
                return;
            }
            pending.write(bytes, 0, bytes.length);
            pending.write('\n');
        } finally {
            pendingLock.unlock();
        }
    }

    /**
     * Writes the collected lines out now.
     */
    public void flush() {
        writeLock.lock();
        try {
            byte[] lines;
            pendingLock.lock();
            try {
                if (pending.size() == 0) {
                    return;
                }
                lines = pending.toByteArray();
                pending.reset();
            } finally {
                pendingLock.unlock();
            }
            out.write(lines);
            out.flush();
        } catch (IOException ignored) {
            // stdout is gone (closed pipe); nothing useful to do about it
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        flush();
    }

    private void writeEvery200Ms() {
        while (!closed) {
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            flush();
        }
    }
}
