package io.llmgateway.testkit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;

import static java.util.Objects.requireNonNull;

/**
 * A call as the host hands it to a backend: a request, a deadline, no request headers, a client on loopback;
 * response headers and log annotations the backend sets are kept for a test to read.
 */
public final class ContractExchange implements ChatExchange {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String requestId = "req_contract_" + IDS.incrementAndGet();
    private final ChatRequest request;
    private final String backend;
    private final Instant received = Instant.now();
    private final Instant deadline;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private volatile String tenant;
    private volatile boolean clientGone;

    /**
     * Creates the exchange.
     *
     * @param request  the request
     * @param backend  the backend type serving it
     * @param deadline when the call must be over
     */
    public ContractExchange(ChatRequest request, String backend, Instant deadline) {
        this.request = requireNonNull(request, "request is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
    }

    /**
     * Marks the client as gone, as the host does when its connection closes while the call waits.
     */
    public void clientLeft() {
        clientGone = true;
    }

    /**
     * The response headers the backend set.
     *
     * @return the headers
     */
    public synchronized Map<String, String> responseHeaders() {
        return Map.copyOf(responseHeaders);
    }

    /**
     * The log fields the backend set.
     *
     * @return the fields
     */
    public synchronized Map<String, String> annotations() {
        return Map.copyOf(annotations);
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
        return Optional.empty();
    }

    @Override
    public String clientAddress() {
        return "127.0.0.1";
    }

    @Override
    public Optional<String> tenant() {
        return Optional.ofNullable(tenant);
    }

    @Override
    public void tenant(String name) {
        tenant = name;
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
        return clientGone;
    }

    @Override
    public synchronized void responseHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    @Override
    public synchronized void annotate(String key, String value) {
        annotations.put(key, value);
    }
}
