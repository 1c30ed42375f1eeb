package io.llmgateway.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import jakarta.json.JsonObject;

/**
 * A {@link Reply} rendered to bytes for one model and one mode, so that sending it costs no JSON work:
 * the fakes render each reply once and send the same plan to every request that gets it. Only the
 * message id differs between requests; it is patched into a copy of each part that holds it.
 *
 * @param status  HTTP status
 * @param headers response headers, including {@code content-type}
 * @param chunked whether the body is sent with chunked encoding, part by part with a flush after each;
 *                otherwise there is exactly one part, sent with a {@code content-length}
 * @param parts   the body in the pieces it is written in
 * @param gap     the pause before each part marked {@link Part#pauseBefore()}
 * @param ending  what happens after the last part
 */
record ReplyPlan(int status, Map<String, String> headers, boolean chunked, List<Part> parts, Duration gap,
                 Ending ending) {

    /**
     * Written where a response's id goes, after the API's prefix ({@code msg_}, {@code chatcmpl-}); the
     * digits are replaced by the response's number when it is sent, so every id has the same length.
     */
    static final String ID_PLACEHOLDER = "fake_000000000000";
    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
    private static final int ID_DIGITS = 12;

    /** How the response ends. */
    enum Ending {
        /** the response completes normally */
        COMPLETE,
        /** the connection is dropped after the last part, without the chunked-encoding terminator */
        DROP_CONNECTION,
        /** nothing is sent; the connection is dropped when the fake closes */
        HANG,
        /** nothing is sent; the connection is dropped at once */
        DROP
    }

    /**
     * One piece of the body.
     *
     * @param bytes       the bytes to write
     * @param idOffset    where {@link #ID_PLACEHOLDER} starts in {@code bytes}, or -1
     * @param pauseBefore whether the plan's gap is waited before writing this part
     */
    record Part(byte[] bytes, int idOffset, boolean pauseBefore) {
        /** {@return the text as a part, noting where the id placeholder is (its first occurrence)} */
        static Part of(String text, boolean pauseBefore) {
            int id = text.indexOf(ID_PLACEHOLDER);
            int offset = id < 0 ? -1 : text.substring(0, id).getBytes(StandardCharsets.UTF_8).length;
            return new Part(text.getBytes(StandardCharsets.UTF_8), offset, pauseBefore);
        }

        /** {@return the bytes, with the placeholder's digits replaced by the message number} */
        byte[] bytes(long messageNumber) {
            if (idOffset < 0) {
                return bytes;
            }
            byte[] copy = bytes.clone();
            long rest = messageNumber;
            for (int i = idOffset + ID_PLACEHOLDER.length() - 1; i >= idOffset + ID_PLACEHOLDER.length() - ID_DIGITS; i--) {
                copy[i] = (byte) ('0' + rest % 10);
                rest /= 10;
            }
            return copy;
        }
    }

    ReplyPlan {
        headers = Map.copyOf(headers);
        parts = List.copyOf(parts);
        if (!chunked && ending != Ending.HANG && ending != Ending.DROP && parts.size() != 1) {
            throw new IllegalArgumentException("a body with a content-length is one part");
        }
    }

    /** {@return a plan that sends this JSON body with a content-length} */
    static ReplyPlan json(int status, JsonObject body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", JSON);
        return new ReplyPlan(status, all, false, List.of(Part.of(body.toString(), false)), Duration.ZERO, Ending.COMPLETE);
    }

    /**
     * {@return a 200 that sends this text as it is: with a content-length as {@code application/json}, or
     * chunked as {@code text/event-stream}}
     */
    static ReplyPlan raw(String text, boolean eventStream) {
        return new ReplyPlan(200, Map.of("content-type", eventStream ? EVENT_STREAM : JSON), eventStream,
                List.of(Part.of(text, false)), Duration.ZERO, Ending.COMPLETE);
    }

    /** {@return a plan that never answers} */
    static ReplyPlan hang() {
        return new ReplyPlan(200, Map.of(), false, List.of(), Duration.ZERO, Ending.HANG);
    }

    /** {@return a plan that drops the connection without an answer} */
    static ReplyPlan drop() {
        return new ReplyPlan(200, Map.of(), false, List.of(), Duration.ZERO, Ending.DROP);
    }

    /** {@return this one-part plan's headers and the first half of its body, then a dropped connection} */
    ReplyPlan firstHalf() {
        byte[] whole = parts.getFirst().bytes();
        Part half = new Part(Arrays.copyOf(whole, whole.length / 2), -1, false);
        return new ReplyPlan(status, headers, true, List.of(half), Duration.ZERO, Ending.DROP_CONNECTION);
    }

    /** Thrown to make the JDK server drop the connection: it does so for any exception from a handler. */
    static final class DropConnection extends RuntimeException {
        DropConnection() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    /**
     * Sends this plan as the response to the exchange.
     *
     * @param exchange      the exchange to answer
     * @param messageNumber the number that makes this response's message id unique
     * @param closed        counted down when the fake closes: ends a hang or a gap early
     * @return true if every byte was written, false if the client went away
     * @throws DropConnection when the plan ends by dropping the connection, or the fake closed
     */
    boolean send(HttpExchange exchange, long messageNumber, CountDownLatch closed) throws InterruptedException {
        if (ending == Ending.HANG) {
            closed.await();
            throw new DropConnection();
        }
        if (ending == Ending.DROP) {
            throw new DropConnection();
        }
        Headers responseHeaders = exchange.getResponseHeaders();
        headers.forEach(responseHeaders::set);
        try {
            OutputStream body = exchange.getResponseBody();
            if (!chunked) {
                byte[] bytes = parts.getFirst().bytes(messageNumber);
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                body.write(bytes);
            } else {
                exchange.sendResponseHeaders(status, 0);
                for (Part part : parts) {
                    if (part.pauseBefore() && gap.isPositive() && closed.await(gap.toNanos(), TimeUnit.NANOSECONDS)) {
                        throw new DropConnection();
                    }
                    body.write(part.bytes(messageNumber));
                    body.flush();
                }
            }
            if (ending == Ending.DROP_CONNECTION) {
                throw new DropConnection();
            }
            body.close();
            return true;
        } catch (IOException clientWentAway) {
            return false;
        }
    }
}
