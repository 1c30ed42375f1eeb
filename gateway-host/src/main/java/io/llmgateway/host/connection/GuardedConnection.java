package io.llmgateway.host.connection;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * One client connection: Helidon's HTTP/1 connection, run on a context whose reads and writes the gateway
 * times, so that {@link Connections} can close it when the client is too slow, idle too long or asked for
 * it. It is the {@link ConnectionContext} Helidon's connection sees, and the {@link ServerConnection}
 * Helidon's listener runs.
 */
public final class GuardedConnection implements ServerConnection, ConnectionContext {

    private final ConnectionContext accepted;
    private final String id;
    private final Connections connections;
    private final SocketReads reads;
    private final DataReader reader;
    private final TimedWriter writer;
    private ServerConnection http;

    /** No request yet: a new connection must send one within the header timeout. */
    private volatile boolean fresh = true;
    private volatile long idleSince = System.nanoTime();
    /** The first byte of the request being received; 0 while none has come. */
    private volatile long firstByte;
    /** When the current request's headers ended; 0 between requests. */
    private volatile long headersEnded;
    private volatile boolean bodyRead;
    /** When a blocked write gives up; 0 without a deadline. */
    private volatile long writeDeadline;
    private volatile CloseReason closedFor;
    /** A request or its response said Connection: close. */
    private volatile boolean closeRequested;

    private GuardedConnection(ConnectionContext accepted, String id, Connections connections) {
        this.accepted = accepted;
        this.id = id;
        this.connections = connections;
        this.writer = new TimedWriter(accepted.dataWriter());
        this.reads = new SocketReads(accepted.serverSocket(), identified(accepted.dataReader()), this::bytesArrived,
                                     writer::http10);
        this.reader = new RequestReader(reads);
    }

    static GuardedConnection open(ConnectionContext accepted, String id, Connections connections,
                                  ServerConnectionSelector http1) {
        GuardedConnection connection = new GuardedConnection(accepted, id, connections);
        connection.http = http1.connection(connection);
        return connection;
    }

    /** What Helidon read while it chose a selector for the connection: the start of the first request. */
    private static byte[] identified(DataReader helidons) {
        int available = helidons.available();
        return available == 0 ? null : helidons.readBytes(available);
    }

    /** The request's body has been read whole; waiting for the client from now on is not a body timeout. */
    public void bodyRead() {
        bodyRead = true;
    }

    /**
     * Writes of the current request give up at its deadline, even before the send timeout.
     *
     * @param remaining how long the request may still take
     */
    public void writeDeadline(Duration remaining) {
        writeDeadline = System.nanoTime() + Math.max(1, remaining.toNanos());
    }

    /**
     * Whether the client closed the connection while its request is being served (see {@link SocketReads}).
     * Call from the request's thread, after the body was read.
     *
     * @return true once the client is known to be gone
     */
    public boolean clientGone() {
        return closedFor != null || reads.clientGone();
    }

    /** {@return why the gateway closed this connection, if it did} */
    public Optional<CloseReason> closedFor() {
        return Optional.ofNullable(closedFor);
    }

    void headersReceived(boolean close) {
        headersEnded = System.nanoTime();
        firstByte = 0;
        closeRequested |= close;
    }

    /** A response says Connection: close; the connection ends once the request is done. */
    void closeRequested() {
        closeRequested = true;
    }

    /** The request is a HEAD: its answer goes out without a body. */
    public void answerWithoutBody() {
        writer.headOnly();
    }

    void requestDone() {
        writer.responseDone();
        if (closeRequested) {
            // while the request is routed Helidon's connection is not reading, so this does not interrupt it
            finishAfterThisRequest();
        }
        headersEnded = 0;
        firstByte = 0;
        bodyRead = false;
        writeDeadline = 0;
        fresh = false;
        idleSince = System.nanoTime();
    }

    /** The connection ends once the request in progress is answered; one waiting for a request ends now. */
    void finishAfterThisRequest() {
        http.close(false);
    }

    /** {@return whether no request is in progress} */
    boolean idle() {
        return headersEnded == 0 && firstByte == 0;
    }

    /**
     * What, if anything, this connection has overstayed.
     *
     * @param now    System.nanoTime()
     * @param limits the limits
     * @return the reason to close it, or null to keep it
     */
    CloseReason overstayed(long now, ConnectionLimits limits) {
        long writing = writer.writingSince();
        if (writing != 0) {
            long deadline = writeDeadline;
            if (now - writing > limits.sendTimeout().toNanos() || (deadline != 0 && now - deadline > 0)) {
                return CloseReason.SEND_TIMEOUT;
            }
        }
        long headers = headersEnded;
        if (headers == 0) {
            long first = firstByte;
            if (first != 0) {
                return now - first > limits.headerTimeout().toNanos() ? CloseReason.HEADER_TIMEOUT : null;
            }
            Duration wait = fresh ? limits.headerTimeout() : limits.idleTimeout();
            if (now - idleSince > wait.toNanos()) {
                return fresh ? CloseReason.HEADER_TIMEOUT : CloseReason.IDLE;
            }
            return null;
        }
        if (!bodyRead && reads.readingSince() != 0 && now - headers > limits.bodyTimeout().toNanos()) {
            return CloseReason.BODY_TIMEOUT;
        }
        return null;
    }

    /**
     * Closes the socket under whatever reads or writes it, once.
     *
     * @param reason why
     */
    void closeFor(CloseReason reason) {
        if (closedFor != null) {
            return;
        }
        closedFor = reason;
        connections.closed(reason);
        try {
            accepted.serverSocket().close();
        } catch (RuntimeException e) {
            // already closed by the client or by Helidon
        }
    }

    private void bytesArrived() {
        if (headersEnded == 0 && firstByte == 0) {
            firstByte = System.nanoTime();
        }
    }

    // ServerConnection: what Helidon's listener runs

    @Override
    public void handle(Limit limit) throws InterruptedException {
        try {
            http.handle(limit);
        } finally {
            connections.remove(this);
        }
    }

    /** Always zero: {@link Connections} times idle connections, Helidon's idle check stays out of it. */
    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        http.close(interrupt);
    }

    // ConnectionContext: what Helidon's HTTP/1 connection reads, writes and reports through

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
    }

    /** Unique among open connections (Helidon's is an identity hash), so requests can find theirs. */
    @Override
    public String childSocketId() {
        return id;
    }

    @Override
    public String socketId() {
        return accepted.socketId();
    }

    @Override
    public PeerInfo remotePeer() {
        return accepted.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return accepted.localPeer();
    }

    @Override
    public boolean isSecure() {
        return accepted.isSecure();
    }

    @Override
    public ListenerContext listenerContext() {
        return accepted.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return accepted.executor();
    }

    @Override
    public Router router() {
        return accepted.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return accepted.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return accepted.serverSocket();
    }
}
