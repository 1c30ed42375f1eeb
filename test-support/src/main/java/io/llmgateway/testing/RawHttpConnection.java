package io.llmgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A client socket speaking HTTP/1.x by hand, for tests of what well-behaved clients never do: send slowly,
 * never read, lie about lengths, speak HTTP/1.0, pipeline. It reads responses framed by Content-Length,
 * chunked coding or the end of the connection.
 */
public final class RawHttpConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to a loopback port.
     *
     * @param port the port
     * @return the connection
     */
    public static RawHttpConnection open(int port) {
        return open(port, 0);
    }

    /**
     * Connects to a loopback port with a small receive buffer, so that a client that does not read makes
     * the server's writes block soon.
     *
     * @param port          the port
     * @param receiveBuffer SO_RCVBUF in bytes, 0 for the system's default
     * @return the connection
     */
    public static RawHttpConnection open(int port, int receiveBuffer) {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new RawHttpConnection(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to release
            }
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends text as ISO-8859-1 bytes (HTTP's own), as it is.
     *
     * @param text the bytes to send
     * @return this connection
     */
    public RawHttpConnection send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends bytes as they are.
     *
     * @param bytes the bytes
     * @return this connection
     */
    public RawHttpConnection send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends text one byte at a time, with a pause before each, stopping quietly when the server closes.
     *
     * @param text  the bytes
     * @param pause the pause
     * @return how many bytes were sent before the server closed the connection
     */
    public int trickle(String text, Duration pause) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            try {
                Thread.sleep(pause.toMillis());
                out.write(bytes[i]);
                out.flush();
            } catch (IOException e) {
                return i;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return i;
            }
        }
        return bytes.length;
    }

    /** Closes the sending side only (a body cut short, a client done sending). */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one response.
     *
     * @param timeout how long to wait for each read
     * @return the response
     * @throws UncheckedIOException when the connection ends before a whole response, or reading times out
     */
    public Response read(Duration timeout) {
        Response head = readHead(timeout);
        try {
            return new Response(head.statusLine(), head.status(), head.headers(), body(head));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a response's status line and headers only, as for the answer to a HEAD request.
     *
     * @param timeout how long to wait for each read
     * @return the response, with an empty body
     * @throws UncheckedIOException when the connection ends before the headers, or reading times out
     */
    public Response readHead(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            String statusLine = line();
            if (statusLine == null) {
                throw new IOException("the connection closed before a response");
            }
            String[] parts = statusLine.split(" ", 3);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while ((line = line()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
            return new Response(statusLine, Integer.parseInt(parts[1]), headers, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the server closes the connection within a time, reading and dropping whatever comes first.
     *
     * @param timeout how long to wait
     * @return true when the stream ended (or was reset) in time
     */
    public boolean closedWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] sink = new byte[8192];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private String body(Response head) throws IOException {
        if (head.status() == 204 || head.status() == 304 || head.status() / 100 == 1) {
            return "";
        }
        Optional<String> length = head.header("content-length");
        if (length.isPresent()) {
            return new String(in.readNBytes(Integer.parseInt(length.get())), StandardCharsets.UTF_8);
        }
        if (head.header("transfer-encoding").map(value -> value.contains("chunked")).orElse(false)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                if (size == null) {
                    throw new IOException("the connection closed inside a chunked body");
                }
                int chunk = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (chunk == 0) {
                    while ((size = line()) != null && !size.isEmpty()) {
                        // trailer fields
                    }
                    return body.toString(StandardCharsets.UTF_8);
                }
                body.write(in.readNBytes(chunk));
                line();
            }
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * A response as read.
     *
     * @param statusLine the first line
     * @param status     the status code
     * @param headers    header values by lower-case name
     * @param body       the body, decoded as UTF-8
     */
    public record Response(String statusLine, int status, Map<String, List<String>> headers, String body) {
        /**
         * The first value of a header.
         *
         * @param name the lower-case name
         * @return the value, if present
         */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }
    }
}
