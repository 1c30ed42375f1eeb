package io.llmgateway.backend.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
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
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

/**
 * One upstream over HTTP with Helidon's blocking web client: the calling (virtual) thread writes the
 * request and reads the answer itself, on a kept-alive pooled connection. HTTPS upstreams that offer
 * HTTP/2 (ALPN) get it, when the host ships the client's HTTP/2 module; plain HTTP ones use HTTP/1.1.
 * The JDK's HttpClient hands every response between its selector thread and the caller, which cost
 * more CPU than the whole rest of a call on loopback.
 */
final class UpstreamClient implements AutoCloseable {

    private static final Header JSON = HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json");

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
     * @throws IOException                 when the upstream cannot be reached
     */
    UpstreamResponse post(String path, String json, Instant deadline) throws IOException {
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
            throw new UpstreamBody.DeadlinePassed();
        }
        HttpClientRequest request = http.post(base + path).readTimeout(remaining).header(JSON);
        headers.forEach(request::header);
        HttpClientResponse response = send(() -> request.submit(json.getBytes(StandardCharsets.UTF_8)));
        return new UpstreamResponse(response, new UpstreamBody(response, deadline, clock, deadlines));
    }

    /**
     * GETs a document.
     *
     * @param path    the path under the base URL
     * @param timeout how long the whole call may take
     * @return the status and the body
     * @throws IOException when the upstream cannot be reached or does not answer in time
     */
    Document get(String path, Duration timeout) throws IOException {
        HttpClientRequest request = http.get(base + path).readTimeout(timeout);
        headers.forEach(request::header);
        try (HttpClientResponse response = send(request::request)) {
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

    private static HttpClientResponse send(Call call) throws IOException {
        try {
            return call.send();
        } catch (RuntimeException e) {
            if (e instanceof UncheckedIOException unchecked && unchecked.getCause() instanceof SocketTimeoutException) {
                throw new UpstreamBody.DeadlinePassed();
            }
            throw UpstreamBody.asIOException(e);
        }
    }

    private interface Call {
        HttpClientResponse send();
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
