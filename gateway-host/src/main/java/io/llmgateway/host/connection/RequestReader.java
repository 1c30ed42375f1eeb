package io.llmgateway.host.connection;

import java.util.function.Supplier;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;

/**
 * The reader Helidon's HTTP/1 connection parses requests from, accepting the whole of RFC 9112's chunked
 * coding: Helidon reads a chunked body's size lines with {@link #readLine()} (and nothing else with it)
 * but refuses chunk extensions ({@code 5;name=value}) and trailer fields, both valid HTTP/1.1. Here the
 * extensions are dropped and the trailers skipped; the framing stays Helidon's own, byte for byte.
 */
final class RequestReader extends DataReader {

    /** A size line or trailer field longer than this is an attack, not a request. */
    static final int MAX_LINE = 4096;
    /** As much trailer as Helidon allows headers. */
    static final int MAX_TRAILERS = 16384;

    private boolean afterLastChunk;

    @SuppressWarnings("removal") // the only way to subclass; DataReader.create returns the base class
    RequestReader(Supplier<byte[]> bytes) {
        super(bytes);
    }

    @Override
    public String readLine() {
        if (afterLastChunk) {
            afterLastChunk = false;
            skipTrailers();
            return "";
        }
        String line = boundedLine();
        int extension = line.indexOf(';');
        String size = (extension < 0 ? line : line.substring(0, extension)).strip();
        afterLastChunk = !size.isEmpty() && size.chars().allMatch(c -> c == '0');
        return size;
    }

    private void skipTrailers() {
        int total = 0;
        String field;
        while (!(field = boundedLine()).isEmpty()) {
            total += field.length() + 2;
            if (total > MAX_TRAILERS) {
                throw badChunking("The request's chunked trailer section is larger than " + MAX_TRAILERS + " bytes");
            }
        }
    }

    private String boundedLine() {
        int end;
        try {
            end = findNewLine(MAX_LINE);
        } catch (IncorrectNewLineException e) {
            throw badChunking("A line of the request's chunked body does not end in CRLF");
        }
        if (end == MAX_LINE) {
            throw badChunking("A line of the request's chunked body is longer than " + MAX_LINE + " bytes");
        }
        String line = readAsciiString(end);
        skip(2);
        return line;
    }

    private static RequestException badChunking(String message) {
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(Status.BAD_REQUEST_400)
                .message(message)
                .setKeepAlive(false)
                .build();
    }
}
