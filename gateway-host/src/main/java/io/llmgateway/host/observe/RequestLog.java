package io.llmgateway.host.observe;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One JSON line per request, on stdout. Lines are buffered and flushed every 200 ms (and at close), so
 * logging costs a memory copy on the request path instead of a system call.
 */
public final class RequestLog implements AutoCloseable {

    private static final long FLUSH_MILLIS = 200;

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledFuture<?> flusher;
    private boolean dirty;

    /**
     * Creates a log writing to a stream.
     *
     * @param sink      where lines go (stdout in production)
     * @param scheduler runs the periodic flush
     */
    public RequestLog(OutputStream sink, ScheduledExecutorService scheduler) {
        this.out = new BufferedOutputStream(sink, 64 * 1024);
        this.flusher = scheduler.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes one line.
     *
     * @param line the line
     */
    public void write(LogLine line) {
        byte[] bytes = line.toJson().getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            out.write(bytes);
            out.write('\n');
            dirty = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes buffered lines out.
     */
    public void flush() {
        lock.lock();
        try {
            if (dirty) {
                out.flush();
                dirty = false;
            }
        } catch (IOException ignored) {
            // stdout is gone (closed pipe); nothing useful to do about it
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        flusher.cancel(false);
        flush();
    }
}
