package io.llmgateway.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class TestFakeTcpServer {

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nhost: fake\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void anAnswerIsSentAfterTheRequestHeadThenTheConnectionEnds() throws IOException {
        try (FakeTcpServer fake = FakeTcpServer.answering("NOT HTTP\r\n\r\n"); Socket socket = connect(fake)) {
            socket.getOutputStream().write(REQUEST);

            assertEquals("NOT HTTP\r\n\r\n", new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            assertEquals(1, fake.connections());
        }
    }

    @Test
    void aSilentPeerWritesNothing() throws IOException {
        try (FakeTcpServer fake = FakeTcpServer.silent(); Socket socket = connect(fake)) {
            socket.getOutputStream().write(REQUEST);
            socket.setSoTimeout(300);

            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        }
    }

    @Test
    void aFullAcceptQueueMakesConnectingTimeOut() throws IOException {
        try (FakeTcpServer fake = FakeTcpServer.unaccepting(); Socket socket = new Socket()) {
            assertThrows(SocketTimeoutException.class,
                         () -> socket.connect(new InetSocketAddress("127.0.0.1", fake.port()), 300));
        }
    }

    @Test
    void aSelfSignedCertificateFailsTheHandshakeOfAVerifyingClient() throws IOException {
        try (FakeTcpServer fake = FakeTcpServer.untrustedTls();
             SSLSocket socket = (SSLSocket) SSLSocketFactory.getDefault().createSocket("127.0.0.1", fake.port())) {
            assertThrows(SSLHandshakeException.class, socket::startHandshake);
        }
    }

    private static Socket connect(FakeTcpServer fake) throws IOException {
        Socket socket = new Socket("127.0.0.1", fake.port());
        socket.setSoTimeout(5000);
        return socket;
    }
}
