package io.llmgateway.host.connection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * HTTP/1.0 on top of Helidon, which answers it with a 505: nginx proxies (by default) and HAProxy health
 * checks speak it. The request line's version is rewritten to 1.1 and {@code Connection: close} added, so
 * Helidon serves one request and closes, as HTTP/1.0 expects; the answer is written without chunked
 * coding, which HTTP/1.0 does not know (RFC 9112 section 6.1), its end marked by the connection closing.
 */
final class Http10 {

    /** Longer than any request line and headers Helidon accepts (4096 and 16384). */
    static final int MAX_HEAD = 24 * 1024;

    private static final byte[] VERSION_10 = " HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    /** HTTP/1.1 requires a Host header, HTTP/1.0 clients (HAProxy's checks) often send none. */
    private static final byte[] HOST = "Host: localhost\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum State { HEAD, PLAIN, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, DONE }

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private State state = State.HEAD;
    private long chunkLeft;

    /**
     * Whether a connection's first bytes are an HTTP/1.0 request line.
     *
     * @param first bytes up to (at least) the end of the request line
     * @return true for HTTP/1.0
     */
    static boolean isRequest(byte[] first) {
        int lf = indexOf(first, (byte) '\n', 0);
        int end = lf > 0 && first[lf - 1] == '\r' ? lf - 1 : -1;
        return end >= VERSION_10.length
                && Arrays.equals(first, end - VERSION_10.length, end, VERSION_10, 0, VERSION_10.length);
    }

    /**
     * An HTTP/1.0 request's first bytes as Helidon should see them: version 1.1, {@code Connection: close},
     * and a Host header if it had none.
     *
     * @param first bytes up to (at least) the end of the headers, of a request {@link #isRequest} accepts
     * @return the rewritten bytes
     */
    static byte[] request(byte[] first) {
        int lf = indexOf(first, (byte) '\n', 0);
        int end = lf - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + CLOSE.length + HOST.length);
        out.write(first, 0, end - 1);
        out.write('1');
        out.write(first, end, lf + 1 - end);
        out.writeBytes(CLOSE);
        int headEnd = headEnd(first);
        String head = new String(first, 0, headEnd < 0 ? first.length : headEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (!head.contains("\nhost:")) {
            out.writeBytes(HOST);
        }
        out.write(first, lf + 1, first.length - lf - 1);
        return out.toByteArray();
    }

    /**
     * Where the headers end (after the blank line), or -1 when they have not ended yet.
     *
     * @param bytes the start of a request
     * @return the index after the blank line
     */
    static int headEnd(byte[] bytes) {
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Turns the next bytes of Helidon's HTTP/1.1 response into HTTP/1.0's.
     *
     * @param bytes what Helidon writes
     * @return what goes to the client (possibly nothing yet)
     */
    byte[] response(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            switch (state) {
                case HEAD -> {
                    pending.write(bytes[i++]);
                    if (endsWithBlankLine()) {
                        writeHead(out);
                    }
                }
                case PLAIN -> {
                    out.write(bytes, i, bytes.length - i);
                    i = bytes.length;
                }
                case CHUNK_SIZE -> {
                    pending.write(bytes[i++]);
                    byte[] line = pending.toByteArray();
                    if (line.length >= 2 && line[line.length - 2] == '\r' && line[line.length - 1] == '\n') {
                        String size = new String(line, 0, line.length - 2, StandardCharsets.US_ASCII).split(";")[0].strip();
                        chunkLeft = Long.parseLong(size, 16);
                        pending.reset();
                        state = chunkLeft == 0 ? State.DONE : State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    int take = (int) Math.min(chunkLeft, bytes.length - i);
                    out.write(bytes, i, take);
                    i += take;
                    chunkLeft -= take;
                    if (chunkLeft == 0) {
                        chunkLeft = 2;
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    i++;
                    if (--chunkLeft == 0) {
                        state = State.CHUNK_SIZE;
                    }
                }
                case DONE -> i = bytes.length; // trailers, which HTTP/1.0 has no place for
            }
        }
        return out.toByteArray();
    }

    private boolean endsWithBlankLine() {
        int n = pending.size();
        if (n < 4) {
            return false;
        }
        byte[] head = pending.toByteArray();
        return head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n';
    }

    private void writeHead(ByteArrayOutputStream out) {
        String head = pending.toString(StandardCharsets.ISO_8859_1);
        pending.reset();
        StringBuilder kept = new StringBuilder(head.length());
        boolean chunked = false;
        for (String line : head.split("\r\n", -1)) {
            if (line.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:")) {
                chunked = line.toLowerCase(Locale.ROOT).contains("chunked");
                continue;
            }
            kept.append(line).append("\r\n");
        }
        // split kept the two empty strings after the final CRLFCRLF: one CRLF too many
        kept.setLength(kept.length() - 2);
        out.writeBytes(kept.toString().getBytes(StandardCharsets.ISO_8859_1));
        state = chunked ? State.CHUNK_SIZE : State.PLAIN;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
