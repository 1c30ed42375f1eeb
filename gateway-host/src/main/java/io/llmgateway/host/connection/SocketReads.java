package io.llmgateway.host.connection;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.webserver.ServerConnectionException;

/**
 * The bytes a connection reads from its socket, timed, and able to look ahead for a client that went away.
 *
 * <p>Only one read is ever outstanding: a look-ahead ({@link #clientGone()}) runs on a virtual thread of its
 * own while the request's thread waits on something else, and the connection's next read takes the
 * look-ahead's result instead of reading the socket again. Not thread-safe otherwise: called from the
 * connection's thread only.
 */
final class SocketReads implements Supplier<byte[]> {

    private final HelidonSocket socket;
    private final Runnable onBytes;
    private volatile long readingSince;
    private volatile boolean gone;
    private CompletableFuture<byte[]> ahead;
    private byte[] buffered;

    /**
     * @param socket   the accepted socket
     * @param buffered bytes read before the connection was identified, delivered first; null for none
     * @param onBytes  told whenever bytes arrive
     */
    SocketReads(HelidonSocket socket, byte[] buffered, Runnable onBytes) {
        this.socket = socket;
        this.buffered = buffered;
        this.onBytes = onBytes;
    }

    @Override
    public byte[] get() {
        if (buffered != null) {
            byte[] first = buffered;
            buffered = null;
            onBytes.run();
            return first;
        }
        CompletableFuture<byte[]> pending = ahead;
        if (pending == null) {
            return read();
        }
        ahead = null;
        try {
            return pending.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Whether the client closed its side: the first call starts reading ahead, later calls see what that
     * read found (the end of the stream or a failure: gone; bytes of a next request: still there).
     *
     * @return true once the client is known to be gone
     */
    boolean clientGone() {
        if (ahead == null && !gone) {
            CompletableFuture<byte[]> future = new CompletableFuture<>();
            ahead = future;
            Thread.ofVirtual().name("client-gone-check").start(() -> readAhead(future));
        }
        return gone;
    }

    /** {@return when the read in progress started (System.nanoTime), 0 when none is} */
    long readingSince() {
        return readingSince;
    }

    private void readAhead(CompletableFuture<byte[]> into) {
        try {
            byte[] bytes = read();
            gone = bytes == null;
            into.complete(bytes);
        } catch (RuntimeException e) {
            gone = true;
            into.completeExceptionally(e);
        }
    }

    private byte[] read() {
        readingSince = System.nanoTime();
        byte[] bytes;
        try {
            bytes = socket.get();
        } catch (UncheckedIOException e) {
            throw new ServerConnectionException("Failed to get data from socket", e);
        } finally {
            readingSince = 0;
        }
        if (bytes != null) {
            onBytes.run();
        }
        return bytes;
    }
}
