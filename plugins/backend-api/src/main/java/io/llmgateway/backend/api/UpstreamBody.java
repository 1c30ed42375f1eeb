package io.llmgateway.backend.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

/**
 * An upstream response body as an input stream that never blocks past the call's deadline and can be
 * aborted: reading waits for the next bytes only until the deadline (then the upstream call is
 * cancelled and {@link DeadlinePassed} thrown), and {@link #abort()} cancels the call at once (a client
 * that went away). The JDK client's own body stream can do neither while a read is blocked.
 */
final class UpstreamBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Instant deadline;
    private final Clock clock;
    private volatile Flow.Subscription subscription;
    private volatile boolean aborted;
    private boolean complete;
    private Iterator<ByteBuffer> buffers = Collections.emptyIterator();
    private ByteBuffer current;
    private boolean ended;

    UpstreamBody(Instant deadline, Clock clock) {
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public void onSubscribe(Flow.Subscription granted) {
        subscription = granted;
        if (aborted) {
            granted.cancel();
        } else {
            granted.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        arrived.add(items);
    }

    @Override
    public void onError(Throwable failure) {
        arrived.add(failure);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended) {
                return -1;
            }
            awaitMore();
        }
        int count = Math.min(length, current.remaining());
        current.get(target, offset, count);
        return count;
    }

    /**
     * Reads what is left, up to a limit, as text (an error body).
     *
     * @param limit the most bytes to read
     * @return the text
     * @throws IOException when reading fails
     */
    String readText(int limit) throws IOException {
        byte[] bytes = readNBytes(limit);
        abort();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Reads the whole body as one JSON object. The body is read to its end, so the connection goes
     * back to the pool rather than being cancelled.
     *
     * @param json makes the reader
     * @return the object
     * @throws IOException          when the connection fails
     * @throws JsonException        when the body is not a JSON object
     */
    JsonObject readJsonObject(JsonProvider json) throws IOException {
        JsonObject object;
        try (JsonReader reader = json.createReader(new FilterInputStream(this) {
            @Override
            public void close() {
                // the body is ended below, after what follows the object is drained
            }
        })) {
            object = reader.readObject();
        } catch (JsonException e) {
            if (e.getCause() instanceof IOException broken) {
                throw broken;
            }
            throw e;
        }
        byte[] rest = new byte[64];
        while (read(rest, 0, rest.length) >= 0) {
            // whitespace after the object
        }
        return object;
    }

    /**
     * Cancels the upstream call unless its body already arrived whole (cancelling then would only
     * cost an exception and the kept-alive connection); further reads end the stream.
     */
    void abort() {
        aborted = true;
        ended = true;
        if (complete) {
            return;
        }
        Flow.Subscription granted = subscription;
        if (granted != null) {
            granted.cancel();
        }
    }

    @Override
    public void close() {
        abort();
    }

    @SuppressWarnings("unchecked")
    private void awaitMore() throws IOException {
        Object next;
        try {
            long nanos = Duration.between(clock.instant(), deadline).toNanos();
            next = nanos > 0 ? arrived.poll(nanos, TimeUnit.NANOSECONDS) : arrived.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new IOException("interrupted while reading the upstream's answer", e);
        }
        if (next == null) {
            abort();
            throw new DeadlinePassed();
        }
        if (next == END) {
            ended = true;
            complete = true;
        } else if (next instanceof Throwable failure) {
            ended = true;
            complete = true;
            throw new IOException(failure.getMessage() == null ? failure.toString() : failure.getMessage(), failure);
        } else {
            buffers = ((List<ByteBuffer>) next).iterator();
            subscription.request(1);
        }
    }

    /** The call's deadline passed while waiting for the upstream. */
    static final class DeadlinePassed extends IOException {
        DeadlinePassed() {
            super("the request timed out waiting for the upstream");
        }
    }
}
