package io.llmgateway.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;

/**
 * A {@link ChatExchange} as the host makes one, for calling a backend or a middleware directly: it
 * records the tenant, response headers and log annotations the plugin sets.
 */
public final class TestExchange implements ChatExchange {

    private final ChatRequest request;
    private volatile Instant received = Instant.now();
    private final Instant deadline;
    private final Map<String, String> requestHeaders;
    private final Map<String, String> responseHeaders = new ConcurrentHashMap<>();
    private final Map<String, String> annotations = new ConcurrentHashMap<>();
    private volatile String tenant;
    private volatile String clientAddress = "127.0.0.1";
    private volatile String backend = "test";
    private volatile boolean clientGone;

    /**
     * Creates an exchange without request headers.
     *
     * @param request  the request
     * @param deadline when it times out
     */
    public TestExchange(ChatRequest request, Instant deadline) {
        this(request, deadline, Map.of());
    }

    /**
     * Creates an exchange.
     *
     * @param request        the request
     * @param deadline       when it times out
     * @param requestHeaders request headers, names in lower case
     */
    public TestExchange(ChatRequest request, Instant deadline, Map<String, String> requestHeaders) {
        this.request = request;
        this.deadline = deadline;
        this.requestHeaders = new LinkedHashMap<>(requestHeaders);
    }

    @Override
    public String requestId() {
        return "req_test";
    }

    @Override
    public ChatRequest request() {
        return request;
    }

    @Override
    public String backend() {
        return backend;
    }

    /**
     * Sets the type of the backend serving the call (default {@code test}).
     *
     * @param type the backend type
     * @return this exchange
     */
    public TestExchange backend(String type) {
        this.backend = type;
        return this;
    }

    /**
     * Sets when the request arrived (now, unless a test runs on a clock of its own).
     *
     * @param at the arrival time
     * @return this exchange
     */
    public TestExchange received(Instant at) {
        this.received = at;
        return this;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(requestHeaders.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    /**
     * Sets the client's address (default 127.0.0.1).
     *
     * @param address the address
     * @return this exchange
     */
    public TestExchange clientAddress(String address) {
        this.clientAddress = address;
        return this;
    }

    @Override
    public boolean clientGone() {
        return clientGone;
    }

    /**
     * Makes the client gone (or back), as when its connection closes while the call waits.
     *
     * @param gone whether it is gone
     * @return this exchange
     */
    public TestExchange clientGone(boolean gone) {
        this.clientGone = gone;
        return this;
    }

    @Override
    public Optional<String> tenant() {
        return Optional.ofNullable(tenant);
    }

    @Override
    public void tenant(String tenant) {
        this.tenant = tenant;
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
    public void responseHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    @Override
    public void annotate(String key, String value) {
        annotations.put(key, value);
    }

    /** {@return the response headers the plugin set} */
    public Map<String, String> responseHeaders() {
        return Map.copyOf(responseHeaders);
    }

    /** {@return the log fields the plugin set} */
    public Map<String, String> annotations() {
        return Map.copyOf(annotations);
    }
}
