package io.llmgateway.host.router;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;

/**
 * The call as one deployment sees it: the request carries the model id that deployment is sent, and the backend
 * type is the deployment's. Everything else is the client's call, until the router abandons the attempt.
 */
final class AttemptExchange implements ChatExchange {

    private final ChatExchange call;
    private final ChatRequest request;
    private final String backend;
    private volatile boolean abandoned;

    AttemptExchange(ChatExchange call, String model, String backend) {
        this.call = call;
        this.request = call.request().model().equals(model) ? call.request() : call.request().withModel(model);
        this.backend = backend;
    }

    @Override
    public String requestId() {
        return call.requestId();
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
        return call.header(name);
    }

    @Override
    public String clientAddress() {
        return call.clientAddress();
    }

    @Override
    public Optional<String> tenant() {
        return call.tenant();
    }

    @Override
    public void tenant(String tenant) {
        if (!abandoned) {
            call.tenant(tenant);
        }
    }

    @Override
    public Instant received() {
        return call.received();
    }

    @Override
    public Instant deadline() {
        return call.deadline();
    }

    @Override
    public boolean clientGone() {
        return abandoned || call.clientGone();
    }

    @Override
    public void responseHeader(String name, String value) {
        if (!abandoned) {
            call.responseHeader(name, value);
        }
    }

    @Override
    public void annotate(String key, String value) {
        if (!abandoned) {
            call.annotate(key, value);
        }
    }

    @Override
    public void annotateMillis(String key, Duration elapsed) {
        if (!abandoned) {
            call.annotateMillis(key, elapsed);
        }
    }

    /** The router gave up on this attempt: it looks gone to the backend, and what it still says is dropped. */
    void abandon() {
        abandoned = true;
    }
}
