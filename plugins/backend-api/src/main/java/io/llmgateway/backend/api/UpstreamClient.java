package io.llmgateway.backend.api;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One upstream over HTTP with the JDK client: connections are kept alive and reused; HTTPS upstreams
 * are asked for HTTP/2 (negotiated by ALPN, falling back to HTTP/1.1), plain HTTP ones use HTTP/1.1.
 */
final class UpstreamClient implements AutoCloseable {

    private final HttpClient http;
    private final URI base;
    private final String[] headers;
    private final Clock clock;

    /**
     * Creates a client.
     *
     * @param base           the upstream's base URL, without a trailing slash
     * @param headers        headers every request carries (keys, versions)
     * @param connectTimeout how long connecting may take
     * @param clock          the clock deadlines are measured with
     */
    UpstreamClient(URI base, Map<String, String> headers, Duration connectTimeout, Clock clock) {
        this.base = base;
        this.clock = clock;
        this.headers = headers.entrySet().stream()
                .flatMap(header -> List.of(header.getKey(), header.getValue()).stream())
                .toArray(String[]::new);
        this.http = HttpClient.newBuilder()
                .version("https".equals(base.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /**
     * POSTs a JSON body; returns once the status and headers arrived, the body flowing into
     * {@code body} as it arrives.
     *
     * @param path     the path under the base URL, such as {@code /v1/messages}
     * @param json     the body
     * @param deadline when the call must be over; waiting for the headers stops then (and the call is
     *                 cancelled)
     * @param body     where the response body goes
     * @return the response
     * @throws java.net.http.HttpTimeoutException when the headers do not arrive before the deadline
     * @throws IOException                        when the upstream cannot be reached
     */
    HttpResponse<?> post(String path, String json, Instant deadline, UpstreamBody body)
            throws IOException, InterruptedException {
        // the wait is bounded here rather than with HttpRequest.timeout(): that arms a timer in the
        // client's selector thread for every request, which costs more than the call on loopback
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            request.headers(headers);
        }
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> pending =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofPublisher());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            long nanos = Math.max(1, Duration.between(clock.instant(), deadline).toNanos());
            response = pending.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("no answer from " + base + " before the deadline");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException failure ? failure : new IOException(e.getCause());
        }
        response.body().subscribe(body);
        return response;
    }

    /**
     * GETs a document.
     *
     * @param path    the path under the base URL
     * @param timeout how long the whole call may take
     * @return the response
     * @throws IOException when the upstream cannot be reached
     */
    HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    URI base() {
        return base;
    }

    @Override
    public void close() {
        http.close();
    }
}
