package io.llmgateway.host.connection;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
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
    private final Runnable onHttp10;
    private boolean first = true;
    private volatile long readingSince;
    private volatile boolean gone;
    private CompletableFuture<byte[]> ahead;
    private byte[] buffered;

    /**
     * @param socket   the accepted socket
     * @param buffered bytes read before the connection was identified, delivered first; null for none
     * @param onBytes  told whenever bytes arrive
     * @param onHttp10 told when the connection's request is HTTP/1.0
     */
    SocketReads(HelidonSocket socket, byte[] buffered, Runnable onBytes, Runnable onHttp10) {
        this.socket = socket;
        this.buffered = buffered;
        this.onBytes = onBytes;
        this.onHttp10 = onHttp10;
    }

    @Override
    public byte[] get() {
        if (first) {
            first = false;
            return firstRequestLine();
        }
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

    /** The connection's first bytes, through its request line, rewritten if it is HTTP/1.0 ({@link Http10}). */
    private byte[] firstRequestLine() {
        byte[] bytes = readWhile(get(), b -> !hasLineFeed(b));
        if (bytes == null || !Http10.isRequest(bytes)) {
            return bytes;
        }
        onHttp10.run();
        return Http10.request(readWhile(bytes, b -> Http10.headEnd(b) < 0));
    }

    /** Reads more while the bytes so far need it, up to the longest head Helidon accepts. */
    private byte[] readWhile(byte[] bytes, Predicate<byte[]> incomplete) {
        while (bytes != null && incomplete.test(bytes) && bytes.length < Http10.MAX_HEAD) {
            byte[] more = get();
            if (more == null) {
                break;
            }
            byte[] joined = Arrays.copyOf(bytes, bytes.length + more.length);
            System.arraycopy(more, 0, joined, bytes.length, more.length);
            bytes = joined;
        }
        return bytes;
    }

    private static boolean hasLineFeed(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                return true;
            }
        }
        return false;
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
