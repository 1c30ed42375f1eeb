package io.llmgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A TCP peer on 127.0.0.1 that misbehaves below HTTP, for what an HTTP fake cannot send: every connection
 * gets the same bytes (garbage instead of a status line, a status line and then nothing) and is closed, or
 * gets nothing and is held open; or the listener accepts no connection at all, so connecting times out; or
 * it speaks TLS with a self-signed certificate that no trust store knows.
 *
 * <pre>{@code
 * try (FakeTcpServer upstream = FakeTcpServer.answering("NOT HTTP\r\n\r\n")) {
 *     ... point the client at upstream.baseUrl() ...
 * }
 * }</pre>
 */
public final class FakeTcpServer implements AutoCloseable {

    private static final int MAX_REQUEST_HEAD = 64 * 1024;
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final ServerSocket server;
    private final byte[] answer;
    private final boolean holdOpen;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Socket> fillers = new ArrayList<>();
    private final List<Socket> open = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);

    private FakeTcpServer(ServerSocket server, byte[] answer, boolean holdOpen, boolean accepting) {
        this.server = server;
        this.answer = answer;
        this.holdOpen = holdOpen;
        if (accepting) {
            executor.submit(this::accept);
        }
    }

    /** {@return a peer that reads each request's head, writes these bytes and closes the connection} */
    public static FakeTcpServer answering(String bytes) {
        return new FakeTcpServer(listen(), bytes.getBytes(StandardCharsets.ISO_8859_1), false, true);
    }

    /** {@return a peer that reads each request's head and closes the connection without a byte of answer} */
    public static FakeTcpServer closing() {
        return answering("");
    }

    /** {@return a peer that accepts connections and never writes a byte, until it is closed} */
    public static FakeTcpServer silent() {
        return new FakeTcpServer(listen(), new byte[0], true, true);
    }

    /**
     * {@return a listener that never accepts and whose accept queue is full, so a connection attempt times out
     * (the kernel drops its SYN) rather than being refused}
     */
    public static FakeTcpServer unaccepting() {
        try {
            ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            FakeTcpServer fake = new FakeTcpServer(server, new byte[0], true, false);
            fake.fillAcceptQueue();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    /**
     * {@return a peer that speaks TLS with a self-signed certificate made now (with the JDK's
     * {@code keytool}, in a temporary folder), so a client that verifies certificates fails its handshake}
     */
    public static FakeTcpServer untrustedTls() {
        try {
            Path dir = Files.createTempDirectory("fake-tls");
            Path keystore = dir.resolve("self-signed.p12");
            char[] password = "fake-password".toCharArray();
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keyalg", "EC", "-alias", "fake", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", new String(password)).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, password);
            }
            Files.delete(keystore);
            Files.delete(dir);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            return new FakeTcpServer(server, "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                                     false, true);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed TLS server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a certificate", e);
        }
    }

    /** {@return {@code http://127.0.0.1:PORT}} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** {@return {@code https://127.0.0.1:PORT}: a TLS client's view of the same peer} */
    public String httpsUrl() {
        return "https://127.0.0.1:" + port();
    }

    /** {@return the port it listens on} */
    public int port() {
        return server.getLocalPort();
    }

    /** {@return how many connections it accepted so far} */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // closing a listener: nothing left to do
        }
        synchronized (open) {
            open.forEach(FakeTcpServer::closeQuietly);
        }
        fillers.forEach(FakeTcpServer::closeQuietly);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    private void accept() {
        while (closed.getCount() > 0) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                synchronized (open) {
                    open.add(socket);
                }
                executor.submit(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            readHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(answer);
            out.flush();
            if (holdOpen) {
                closed.await();
            } else {
                // a close with unread input would reset the connection: the client is to see an orderly end
                socket.shutdownOutput();
                socket.setSoTimeout(1000);
                socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, the handshake failed or the fake closed: the connection is over either way
        } finally {
            synchronized (open) {
                open.remove(socket);
            }
        }
    }

    /**
     * Reads up to the blank line that ends a request's head (or the end of the input); a TLS handshake's first
     * record is not waited out, so a TLS client gets the answer at once, as from a plain HTTP server.
     */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        for (int read = 0; read < MAX_REQUEST_HEAD; read++) {
            int next = in.read();
            if (next < 0 || read == 0 && next == TLS_HANDSHAKE_RECORD) {
                return;
            }
            matched = next == "\r\n\r\n".charAt(matched) ? matched + 1 : next == '\r' ? 1 : 0;
            if (matched == 4) {
                return;
            }
        }
    }

    /** Connects to its own listener until the kernel stops completing connections for it. */
    private void fillAcceptQueue() throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 200);
                fillers.add(filler);
            } catch (SocketTimeoutException full) {
                filler.close();
                return;
            }
        }
        close();
        throw new IllegalStateException("the accept queue of 127.0.0.1:" + port() + " never filled; this kernel does not"
                                                + " drop connection attempts to a full queue");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
