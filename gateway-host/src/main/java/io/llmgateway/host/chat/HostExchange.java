package io.llmgateway.host.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.helidon.http.Header;
import io.helidon.http.ServerRequestHeaders;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.host.http.HeaderCache;

import static java.util.Objects.requireNonNull;

/**
 * The host's {@link ChatExchange}: one per request, confined to the request's thread.
 */
final class HostExchange implements ChatExchange {

    private final String requestId;
    private final ChatRequest request;
    private final String backend;
    private final ServerRequestHeaders headers;
    private final String clientAddress;
    private final Instant received;
    private final Instant deadline;
    private final BooleanSupplier clientGone;
    private final List<Header> responseHeaders = new ArrayList<>(8);
    /** String or Duration values. */
    private final Map<String, Object> annotations = new LinkedHashMap<>(4);
    private String tenant;
    private boolean committed;

    HostExchange(String requestId, ChatRequest request, String backend, ServerRequestHeaders headers,
                 String clientAddress, Instant received, Instant deadline, BooleanSupplier clientGone) {
        this.requestId = requestId;
        this.request = request;
        this.backend = backend;
        this.headers = headers;
        this.clientAddress = clientAddress;
        this.received = received;
        this.deadline = deadline;
        this.clientGone = clientGone;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public ChatRequest request() {
        return request;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Optional<String> header(String name) {
        return headers.first(HeaderCache.name(name));
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public Optional<String> tenant() {
        return Optional.ofNullable(tenant);
    }

    @Override
    public void tenant(String tenant) {
        this.tenant = requireNonNull(tenant, "tenant is null");
    }

    @Override
    public Instant received() {
        return received;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public boolean clientGone() {
        return clientGone.getAsBoolean();
    }

    @Override
    public void responseHeader(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        Header header = HeaderCache.responseHeader(name, value);
        if (header == null) {
            // refused here, at the plugin's call, rather than when the response is written
            throw new IllegalArgumentException("not a valid response header: '" + name + "'");
        }
        if (!committed) {
            responseHeaders.add(header);
        }
    }

    @Override
    public void annotate(String key, String value) {
        annotations.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
    }

    @Override
    public void annotateMillis(String key, Duration elapsed) {
        annotations.put(requireNonNull(key, "key is null"), requireNonNull(elapsed, "elapsed is null"));
    }

    /** Headers set by middleware, taken once when the response starts; later ones are ignored. */
    List<Header> commitResponseHeaders() {
        committed = true;
        return responseHeaders;
    }

    Map<String, Object> annotations() {
        return annotations;
    }
}
