package io.llmgateway.host.connection;

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
        timed(() -> delegate.write(headOnly ? heads(buffers) : buffers));
    }

    @Override
    public void write(BufferData buffer) {
        timed(() -> delegate.write(headOnly ? head(buffer) : buffer));
    }

    @Override
    public void writeNow(BufferData... buffers) {
        timed(() -> delegate.writeNow(headOnly ? heads(buffers) : buffers));
    }

    @Override
    public void writeNow(BufferData buffer) {
        timed(() -> delegate.writeNow(headOnly ? head(buffer) : buffer));
    }

    @Override
    public void flush() {
        timed(delegate::flush);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private BufferData[] heads(BufferData[] buffers) {
        BufferData[] kept = new BufferData[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            kept[i] = head(buffers[i]);
        }
        return kept;
    }

    /** The part of a buffer up to the end of the response's headers (all of it before, none after). */
    private BufferData head(BufferData buffer) {
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        int keep = 0;
        while (keep < bytes.length && headEndMatched < END_OF_HEAD.length) {
            headEndMatched = bytes[keep] == END_OF_HEAD[headEndMatched] ? headEndMatched + 1
                    : bytes[keep] == END_OF_HEAD[0] ? 1 : 0;
            keep++;
        }
        return BufferData.create(bytes, 0, keep);
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
