import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The streaming part of bench/run-api: time to the first content-bearing byte of streamed requests sent
 * directly to the fake Anthropic API (an Anthropic streamed body) and through the gateway (an OpenAI
 * streamed body), taking turns request by request on one kept-alive connection each. A single-file
 * program (JDK only): {@code java bench/StreamTtfb.java --upstream URL --gateway URL --anthropic-body FILE
 * --openai-body FILE [--requests N] [--warmup N]}.
 *
 * <p>A bare socket client, so that the clock is read right where the bytes arrive: the time starts just
 * before the request is written and stops when the read that completes the first content event returns
 * (upstream: the first {@code content_block_delta} with a text; gateway: the first
 * {@code chat.completion.chunk} whose delta has non-empty {@code content}, not the role chunk). It also
 * notes the first byte of the response (the status line) and the end of the stream, and checks that
 * every stream is a 200 that ends properly ({@code message_stop}, {@code data: [DONE]}).
 *
 * <p>Prints one line per target, {@code TTFB target=.. n=.. p50_us=.. p99_us=.. first_byte_p50_us=..
 * first_byte_p99_us=.. total_p50_us=.. total_p99_us=.. min_us=.. max_us=..}, and one line of the
 * requests' paired differences (gateway minus the upstream request next to it), {@code TTFB_PAIRED
 * p50_us=.. p99_us=..}. Percentiles by nearest rank.
 */
public final class StreamTtfb {

    private static final Pattern OPENAI_CONTENT = Pattern.compile("\"content\":\"[^\"]");

    private StreamTtfb() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int requests = Integer.parseInt(options.getOrDefault("--requests", "200"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "20"));
        Target upstream = new Target("upstream", URI.create(options.get("--upstream") + "/v1/messages"),
                Files.readString(Path.of(options.get("--anthropic-body"))).strip(),
                List.of("x-api-key: sk-test", "anthropic-version: 2023-06-01"),
                event -> event.contains("\"type\":\"content_block_delta\"") && event.contains("\"text_delta\""),
                "event: message_stop");
        Target gateway = new Target("gateway", URI.create(options.get("--gateway") + "/v1/chat/completions"),
                Files.readString(Path.of(options.get("--openai-body"))).strip(), List.of(),
                event -> event.startsWith("data: {") && OPENAI_CONTENT.matcher(event).find(),
                "data: [DONE]");
        try (upstream; gateway) {
            for (int i = 0; i < warmup; i++) {
                upstream.call();
                gateway.call();
            }
            long[][] up = new long[requests][];
            long[][] gw = new long[requests][];
            for (int i = 0; i < requests; i++) {
                // take turns at going first, so neither always runs right after the other's request
                if (i % 2 == 0) {
                    up[i] = upstream.call();
                    gw[i] = gateway.call();
                } else {
                    gw[i] = gateway.call();
                    up[i] = upstream.call();
                }
            }
            report(upstream.name, up);
            report(gateway.name, gw);
            long[] paired = new long[requests];
            for (int i = 0; i < requests; i++) {
                paired[i] = gw[i][0] - up[i][0];
            }
            Arrays.sort(paired);
            System.out.printf(Locale.ROOT, "TTFB_PAIRED p50_us=%.1f p99_us=%.1f%n", micros(percentile(paired, 50)),
                    micros(percentile(paired, 99)));
        }
    }

    /** Prints a target's line: columns of {@code samples} are content, first byte, total (nanoseconds). */
    private static void report(String name, long[][] samples) {
        long[] content = column(samples, 0);
        long[] firstByte = column(samples, 1);
        long[] total = column(samples, 2);
        System.out.printf(Locale.ROOT, "TTFB target=%s n=%d p50_us=%.1f p99_us=%.1f first_byte_p50_us=%.1f"
                        + " first_byte_p99_us=%.1f total_p50_us=%.1f total_p99_us=%.1f min_us=%.1f max_us=%.1f%n",
                name, samples.length, micros(percentile(content, 50)), micros(percentile(content, 99)),
                micros(percentile(firstByte, 50)), micros(percentile(firstByte, 99)),
                micros(percentile(total, 50)), micros(percentile(total, 99)),
                micros(content[0]), micros(content[content.length - 1]));
    }

    private static long[] column(long[][] samples, int index) {
        long[] values = new long[samples.length];
        for (int i = 0; i < samples.length; i++) {
            values[i] = samples[i][index];
        }
        Arrays.sort(values);
        return values;
    }

    /** Nearest rank, of sorted values. */
    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--upstream", "--gateway", "--anthropic-body", "--openai-body")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required);
            }
        }
        return options;
    }

    /** One server: a kept-alive connection (reopened when the server closes it) and a streamed request. */
    private static final class Target implements AutoCloseable {
        final String name;
        private final URI uri;
        private final byte[] request;
        private final Predicate<String> contentEvent;
        private final String lastEvent;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] buffer = new byte[1 << 16];
        private int start;
        private int end;
        private long lastReadAt;
        private boolean closeAfter;

        Target(String name, URI uri, String body, List<String> headers, Predicate<String> contentEvent,
               String lastEvent) {
            this.name = name;
            this.uri = uri;
            this.contentEvent = contentEvent;
            this.lastEvent = lastEvent;
            byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                    .append("Content-Type: application/json\r\n")
                    .append("Accept: text/event-stream\r\n");
            headers.forEach(header -> head.append(header).append("\r\n"));
            head.append("Content-Length: ").append(bodyBytes.length).append("\r\n\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            request = Arrays.copyOf(headBytes, headBytes.length + bodyBytes.length);
            System.arraycopy(bodyBytes, 0, request, headBytes.length, bodyBytes.length);
        }

        /** {@return nanoseconds to the first content event, to the first byte, to the end of the stream} */
        long[] call() throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
                socket.setSoTimeout(30_000);
                in = socket.getInputStream();
                out = socket.getOutputStream();
                start = end = 0;
            }
            closeAfter = false;
            long sentAt = System.nanoTime();
            out.write(request);
            out.flush();
            String status = line();
            long firstByteAt = lastReadAt;
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException(name + " answered " + status);
            }
            boolean chunked = false;
            long length = -1;
            for (String header; !(header = line()).isEmpty(); ) {
                int colon = header.indexOf(':');
                String field = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (field) {
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "content-length" -> length = Long.parseLong(value);
                    case "connection" -> closeAfter = value.contains("close");
                    default -> {
                    }
                }
            }
            Events events = new Events();
            if (chunked) {
                for (int size; (size = Integer.parseInt(chunkSize(line()), 16)) > 0; ) {
                    events.add(bytes(size));
                    line(); // the CRLF after the chunk
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                events.add(bytes((int) length));
            } else {
                throw new IOException(name + " answered a stream without a length or chunks");
            }
            long endAt = lastReadAt;
            if (events.contentAt == 0 || !events.sawLast) {
                throw new IOException(name + " answered a stream without content or without its last event: "
                        + events.text);
            }
            if (closeAfter) {
                close();
            }
            return new long[] {events.contentAt - sentAt, firstByteAt - sentAt, endAt - sentAt};
        }

        /** The decoded body, cut into events at blank lines as it arrives. */
        private final class Events {
            final StringBuilder text = new StringBuilder();
            int scanned;
            long contentAt;
            boolean sawLast;

            void add(byte[] bytes) {
                text.append(new String(bytes, StandardCharsets.UTF_8));
                for (int boundary; (boundary = text.indexOf("\n\n", scanned)) >= 0; ) {
                    String event = text.substring(scanned, boundary).strip();
                    scanned = boundary + 2;
                    if (contentAt == 0 && contentEvent.test(event)) {
                        contentAt = lastReadAt; // the read that completed this event
                    }
                    sawLast |= event.startsWith(lastEvent);
                }
            }
        }

        private static String chunkSize(String line) {
            int semicolon = line.indexOf(';');
            return (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
        }

        /** {@return the next line without its CRLF} */
        private String line() throws IOException {
            while (true) {
                for (int i = start; i + 1 < end; i++) {
                    if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                        String line = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                        start = i + 2;
                        return line;
                    }
                }
                fill();
            }
        }

        private byte[] bytes(int count) throws IOException {
            byte[] bytes = new byte[count];
            int copied = 0;
            while (copied < count) {
                if (start == end) {
                    fill();
                }
                int n = Math.min(count - copied, end - start);
                System.arraycopy(buffer, start, bytes, copied, n);
                start += n;
                copied += n;
            }
            return bytes;
        }

        /** Reads more bytes, noting when they arrived. */
        private void fill() throws IOException {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.length) {
                throw new IOException(name + ": a line longer than " + buffer.length + " bytes");
            }
            int n = in.read(buffer, end, buffer.length - end);
            lastReadAt = System.nanoTime();
            if (n < 0) {
                throw new IOException(name + " closed the connection mid-answer");
            }
            end += n;
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }
}
