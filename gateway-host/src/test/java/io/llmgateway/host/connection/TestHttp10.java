package io.llmgateway.host.connection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

final class TestHttp10 {

    @Test
    void anHttp10RequestLineBecomes11WithConnectionClose() {
        assertThat(text(Http10.request(bytes("GET /health HTTP/1.0\r\nHost: x\r\n\r\n"))),
                   is("GET /health HTTP/1.1\r\nConnection: close\r\nHost: x\r\n\r\n"));
        assertThat(text(Http10.request(bytes("OPTIONS / HTTP/1.0\r\n\r\n"))),
                   is("OPTIONS / HTTP/1.1\r\nConnection: close\r\nHost: localhost\r\n\r\n"));
        assertThat(Http10.isRequest(bytes("GET / HTTP/1.0\r\n")), is(true));
        assertThat(Http10.isRequest(bytes("GET / HTTP/1.1\r\n\r\n")), is(false));
        assertThat(Http10.isRequest(bytes("GARBAGE\r\n\r\n")), is(false));
        assertThat(Http10.isRequest(bytes("GET / HTTP/1.0")), is(false));
    }

    @Test
    void aChunkedAnswerLosesItsChunkingWhateverTheWriteBoundaries() {
        String chunked = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n"
                + "7\r\ndata: 1\r\n" + "c;ext=x\r\ndata: [DONE]\r\n" + "0\r\nX-Trailer: t\r\n\r\n";
        String expected = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                + "data: 1data: [DONE]";
        for (int step = 1; step <= chunked.length(); step++) {
            Http10 http10 = new Http10();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < chunked.length(); i += step) {
                out.writeBytes(http10.response(bytes(chunked.substring(i, Math.min(chunked.length(), i + step)))));
            }
            assertThat("writes of " + step, out.toString(StandardCharsets.ISO_8859_1), is(expected));
        }
    }

    @Test
    void anAnswerWithALengthPassesAsItIs() {
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
        assertThat(text(new Http10().response(bytes(answer))), is(answer));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
