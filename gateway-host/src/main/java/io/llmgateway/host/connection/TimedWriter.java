package io.llmgateway.host.connection;

import java.util.Arrays;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;

/**
 * A connection's writer that notes when a write is blocked, so a client that stops reading can be cut
 * off after the send timeout instead of holding its request, buffers and socket for good. For the answer
 * to a HEAD request it writes the status line and headers only (Helidon would send the body too, and the
 * client would read it as the start of the next response).
 */
final class TimedWriter implements DataWriter {

    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private final DataWriter delegate;
    private volatile long writingSince;
    private boolean headOnly;
    private int headEndMatched;
    private Http10 http10;

    /** The client speaks HTTP/1.0: answers go out without chunked coding. */
    void http10() {
        http10 = new Http10();
    }

    /** The response being written answers a HEAD request: drop everything after its headers. */
    void headOnly() {
        headOnly = true;
        headEndMatched = 0;
    }

    /** The response is over; the next one is written whole. */
    void responseDone() {
        headOnly = false;
    }

    TimedWriter(DataWriter delegate) {
        this.delegate = delegate;
    }

    /** {@return when the write in progress started (System.nanoTime), 0 when none is} */
    long writingSince() {
        return writingSince;
    }

    @Override
    public void write(BufferData... buffers) {
        timed(() -> delegate.write(rewriting() ? outgoing(buffers) : buffers));
    }

    @Override
    public void write(BufferData buffer) {
        timed(() -> delegate.write(rewriting() ? outgoing(buffer) : buffer));
    }

    @Override
    public void writeNow(BufferData... buffers) {
        timed(() -> delegate.writeNow(rewriting() ? outgoing(buffers) : buffers));
    }

    @Override
    public void writeNow(BufferData buffer) {
        timed(() -> delegate.writeNow(rewriting() ? outgoing(buffer) : buffer));
    }

    @Override
    public void flush() {
        timed(delegate::flush);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private boolean rewriting() {
        return headOnly || http10 != null;
    }

    private BufferData[] outgoing(BufferData[] buffers) {
        BufferData[] kept = new BufferData[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            kept[i] = outgoing(buffers[i]);
        }
        return kept;
    }

    private BufferData outgoing(BufferData buffer) {
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        if (headOnly) {
            bytes = Arrays.copyOf(bytes, headLength(bytes));
        }
        if (http10 != null) {
            bytes = http10.response(bytes);
        }
        return BufferData.create(bytes);
    }

    /** How much of the bytes is still the response's head (all of them before its end, none after). */
    private int headLength(byte[] bytes) {
        int keep = 0;
        while (keep < bytes.length && headEndMatched < END_OF_HEAD.length) {
            headEndMatched = bytes[keep] == END_OF_HEAD[headEndMatched] ? headEndMatched + 1
                    : bytes[keep] == END_OF_HEAD[0] ? 1 : 0;
            keep++;
        }
        return keep;
    }

    private void timed(Runnable write) {
        writingSince = System.nanoTime();
        try {
            write.run();
        } finally {
            writingSince = 0;
        }
    }
}
