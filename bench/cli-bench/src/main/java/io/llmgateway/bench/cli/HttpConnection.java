package io.llmgateway.bench.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One kept-alive HTTP/1.1 connection on a bare socket, for timing. A general client (the JDK's
 * {@code HttpClient} was used first) hands each response between its own threads, which on the shared
 * 2-core machine cost about a millisecond per request, more than the gateway's own share: here the clock
 * is read on the thread that writes the request and reads the answer, right where the bytes arrive.
 * Handles what the gateway sends: a {@code content-length} body or a chunked one (its SSE streams).
 */
final class HttpConnection implements AutoCloseable {

    private final String host;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buffer = new byte[16384];
    private int position;
    private int limit;

    HttpConnection(int port) throws IOException {
        this.host = "127.0.0.1:" + port;
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /**
     * Sends a request and reads the whole response.
     *
     * @param method    GET or POST
     * @param path      the path
     * @param requestId sent as {@code x-request-id} (may be null)
     * @param body      a JSON body for POST (may be null)
     * @param onLine    gets each line of the body as it arrives (for SSE), or null
     * @return the status and the body
     */
    Response send(String method, String path, String requestId, String body, Consumer<String> onLine)
            throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\nhost: ").append(host).append("\r\n");
        if (requestId != null) {
            head.append("x-request-id: ").append(requestId).append("\r\n");
        }
        if (body != null) {
            head.append("content-type: application/json\r\ncontent-length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + payload.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(payload, 0, request, headBytes.length, payload.length);
        out.write(request); // one write: headers and body arrive together
        out.flush();
        return readResponse(onLine);
    }

    private Response readResponse(Consumer<String> onLine) throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        LineSplitter lines = new LineSplitter(onLine);
        if (chunked) {
            for (int size = chunkSize(line()); size > 0; size = chunkSize(line())) {
                lines.accept(bytes(size), body);
                line(); // the CRLF after the chunk
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers: none expected
            }
        } else if (length > 0) {
            lines.accept(bytes((int) length), body);
        }
        lines.finish();
        return new Response(code, body.toString(StandardCharsets.UTF_8));
    }

    private static int chunkSize(String line) {
        int extension = line.indexOf(';');
        return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (position == limit) {
                fill();
            }
            byte b = buffer[position++];
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) (b & 0xff));
        }
    }

    private byte[] bytes(int count) throws IOException {
        byte[] result = new byte[count];
        int copied = 0;
        while (copied < count) {
            if (position == limit) {
                fill();
            }
            int n = Math.min(count - copied, limit - position);
            System.arraycopy(buffer, position, result, copied, n);
            position += n;
            copied += n;
        }
        return result;
    }

    private void fill() throws IOException {
        int n = in.read(buffer);
        if (n < 0) {
            throw new IOException("the gateway closed the connection");
        }
        position = 0;
        limit = n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * A response.
     *
     * @param status the status code
     * @param body   the body as text
     */
    record Response(int status, String body) {
    }

    /** Collects the body and hands complete lines to a listener as soon as their bytes are read. */
    private static final class LineSplitter {
        private final Consumer<String> onLine;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        private LineSplitter(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        void accept(byte[] bytes, ByteArrayOutputStream body) {
            body.writeBytes(bytes);
            if (onLine == null) {
                return;
            }
            for (byte b : bytes) {
                if (b == '\n') {
                    onLine.accept(pending.toString(StandardCharsets.UTF_8));
                    pending.reset();
                } else if (b != '\r') {
                    pending.write(b);
                }
            }
        }

        void finish() {
            if (onLine != null && pending.size() > 0) {
                onLine.accept(pending.toString(StandardCharsets.UTF_8));
            }
        }
    }
}
