package io.llmgateway.host.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;

/**
 * A connection's writer that notes when a write is blocked, so a client that stops reading can be cut
 * off after the send timeout instead of holding its request, buffers and socket for good.
 */
final class TimedWriter implements DataWriter {

    private final DataWriter delegate;
    private volatile long writingSince;

    TimedWriter(DataWriter delegate) {
        this.delegate = delegate;
    }

    /** {@return when the write in progress started (System.nanoTime), 0 when none is} */
    long writingSince() {
        return writingSince;
    }

    @Override
    public void write(BufferData... buffers) {
        timed(() -> delegate.write(buffers));
    }

    @Override
    public void write(BufferData buffer) {
        timed(() -> delegate.write(buffer));
    }

    @Override
    public void writeNow(BufferData... buffers) {
        timed(() -> delegate.writeNow(buffers));
    }

    @Override
    public void writeNow(BufferData buffer) {
        timed(() -> delegate.writeNow(buffer));
    }

    @Override
    public void flush() {
        timed(delegate::flush);
    }

    @Override
    public void close() {
        delegate.close();
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
