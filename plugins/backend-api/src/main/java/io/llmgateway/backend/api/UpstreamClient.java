package io.llmgateway.backend.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.ConnectedSocketChannelInfo;
import io.helidon.webclient.api.ConnectedSocketInfo;
import io.helidon.webclient.api.ConnectionListener;
import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

/**
 * One upstream over HTTP with Helidon's blocking web client: the calling (virtual) thread writes the
 * request and reads the answer itself, on a kept-alive pooled connection. HTTPS upstreams that offer
 * HTTP/2 (ALPN) get it, when the host ships the client's HTTP/2 module; plain HTTP ones use HTTP/1.1.
 * The JDK's HttpClient hands every response between its selector thread and the caller, which cost
 * more CPU than the whole rest of a call on loopback. A call that fails before its answer's headers
 * arrive says why in a {@link NotAnswered}, which {@link ConnectionFailures} puts in words.
 */
final class UpstreamClient implements AutoCloseable {

    private static final Header JSON = HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json");
    /** The call the current thread is making: the web client connects on the calling thread. */
    private static final ThreadLocal<Attempt> ATTEMPT = new ThreadLocal<>();

    private final WebClient http;
    private final URI base;
    private final List<Header> headers = new ArrayList<>();
    private final Clock clock;
    private final UpstreamDeadlines deadlines;

    /**
     * Creates a client.
     *
     * @param base           the upstream's base URL, without a trailing slash
     * @param headers        headers every request carries (keys, versions)
     * @param connectTimeout how long connecting may take
     * @param clock          the clock deadlines are measured with
     * @param scheduler      runs the sweep that ends calls past their deadline
     */
    UpstreamClient(URI base, Map<String, String> headers, Duration connectTimeout, Clock clock,
                   ScheduledExecutorService scheduler) {
        this.base = base;
        this.clock = clock;
        headers.forEach((name, value) -> this.headers.add(HeaderValues.create(HeaderNames.create(name), value)));
        this.http = WebClient.builder()
                .connectTimeout(connectTimeout)
                .followRedirects(false)
                .shareConnectionCache(false)
                .dnsResolver(UpstreamClient::resolve)
                .connectionListener(new Opened(clock))
                .build();
        this.deadlines = new UpstreamDeadlines(clock, scheduler);
    }

    /**
     * POSTs a JSON body; returns once the status and headers arrived.
     *
     * @param path     the path under the base URL, such as {@code /v1/messages}
     * @param json     the body
     * @param deadline when the call must be over: waiting for the headers, and then for the body,
     *                 stops then
     * @return the response; closing it ends the call (returning the connection to the pool when the
     *         body was read whole)
     * @throws UpstreamBody.DeadlinePassed when the headers do not arrive before the deadline
     * @throws NotAnswered                 when the call failed before the headers arrived
     */
    UpstreamResponse post(String path, String json, Instant deadline) throws IOException {
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
            throw new UpstreamBody.DeadlinePassed();
        }
        HttpClientRequest request = http.post(base + path).readTimeout(remaining).header(JSON);
        headers.forEach(request::header);
        HttpClientResponse response = send(() -> request.submit(json.getBytes(StandardCharsets.UTF_8)), deadline);
        return new UpstreamResponse(response, new UpstreamBody(response, deadline, clock, deadlines));
    }

    /**
     * GETs a document.
     *
     * @param path    the path under the base URL
     * @param timeout how long the whole call may take
     * @return the status and the body
     * @throws UpstreamBody.DeadlinePassed when it does not answer in time
     * @throws IOException                 when the upstream cannot be reached or its answer cannot be read
     */
    Document get(String path, Duration timeout) throws IOException {
        HttpClientRequest request = http.get(base + path).readTimeout(timeout);
        headers.forEach(request::header);
        try (HttpClientResponse response = send(request::request, clock.instant().plus(timeout))) {
            return new Document(response.status().code(), response.as(String.class));
        } catch (RuntimeException e) {
            throw UpstreamBody.asIOException(e);
        }
    }

    URI base() {
        return base;
    }

    @Override
    public void close() {
        deadlines.close();
        http.closeResource();
    }

    private HttpClientResponse send(Call call, Instant deadline) throws IOException {
        Attempt attempt = new Attempt(deadline);
        ATTEMPT.set(attempt);
        try {
            return call.send();
        } catch (RuntimeException e) {
            Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            // a read times out at the deadline; a connection attempt, at the connect timeout
            if (cause instanceof SocketTimeoutException && !clock.instant().plusMillis(20).isBefore(deadline)) {
                throw new UpstreamBody.DeadlinePassed();
            }
            throw new NotAnswered(cause, attempt.opened != null);
        } finally {
            ATTEMPT.remove();
            attempt.endHandshakeTimeout();
        }
    }

    /** Resolves as the web client's own resolver does, but fails with the JDK's UnknownHostException. */
    private static InetAddress resolve(String host, DnsAddressLookup lookup) {
        try {
            InetAddress[] addresses = lookup.filter(InetAddress.getAllByName(host));
            if (addresses.length == 0) {
                throw new UnknownHostException(host + " has no address of the kind looked up");
            }
            return addresses[0];
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Call {
        HttpClientResponse send();
    }

    /**
     * One call's connection attempt. The web client reads a new connection's TLS handshake with no timeout at
     * all, so a peer that never answers it would hold the call forever: the handshake gets the time left to
     * the deadline, lifted again once the call has its answer unless the web client set a read timeout of its
     * own meanwhile (HTTP/1.1 does, per request; an HTTP/2 connection's reader must not keep it).
     */
    private static final class Attempt {
        private final Instant deadline;
        private Socket opened;
        private int handshakeMillis;

        Attempt(Instant deadline) {
            this.deadline = deadline;
        }

        void opened(Socket socket, Clock clock) throws SocketException {
            // a millisecond under the request's own read timeout, so the two can be told apart
            handshakeMillis = (int) Math.clamp(Duration.between(clock.instant(), deadline).toMillis() - 1, 1, Integer.MAX_VALUE);
            socket.setSoTimeout(handshakeMillis);
            opened = socket;
        }

        void endHandshakeTimeout() {
            if (opened == null) {
                return;
            }
            try {
                if (opened.getSoTimeout() == handshakeMillis) {
                    opened.setSoTimeout(0);
                }
            } catch (SocketException closed) {
                // no timeout left to lift
            }
        }
    }

    /** Hands each connection the web client opens to the calling thread's attempt. */
    private record Opened(Clock clock) implements ConnectionListener {
        @Override
        public void socketConnected(ConnectedSocketInfo info) throws IOException {
            Attempt attempt = ATTEMPT.get();
            if (attempt != null) {
                attempt.opened(info.socket(), clock);
            }
        }

        @Override
        public void socketChannelConnected(ConnectedSocketChannelInfo info) {
            // socket channels are for Unix domain sockets, which no upstream uses
        }
    }

    /** The call failed before the answer's status and headers arrived; the cause says how. */
    static final class NotAnswered extends IOException {
        private final boolean connected;

        NotAnswered(Throwable cause, boolean connected) {
            super("no answer", cause);
            this.connected = connected;
        }

        /** Whether the call opened a TCP connection (it may also have found one in the pool, or none). */
        boolean connected() {
            return connected;
        }
    }

    /** An answer's status, a header and its body. */
    record UpstreamResponse(HttpClientResponse response, UpstreamBody body) implements AutoCloseable {
        int status() {
            return response.status().code();
        }

        Optional<String> header(String name) {
            return response.headers().first(HeaderNames.create(name));
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /** A fetched document. */
    record Document(int status, String body) {
    }
}
