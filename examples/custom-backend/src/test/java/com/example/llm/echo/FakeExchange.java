package com.example.llm.echo;

import java.time.Instant;
import java.util.Optional;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;

/**
 * A call as the host would hand it to the backend: just the request, with fixed answers for the rest.
 */
final class FakeExchange implements ChatExchange {

    private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

    private final ChatRequest request;

    FakeExchange(ChatRequest request) {
        this.request = request;
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
        return EchoBackendProvider.TYPE;
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
        return Optional.empty();
    }

    @Override
    public void tenant(String tenant) {
        // the echo backend never sets a tenant
    }

    @Override
    public Instant received() {
        return RECEIVED;
    }

    @Override
    public Instant deadline() {
        return RECEIVED.plusSeconds(60);
    }

    @Override
    public void responseHeader(String name, String value) {
        // the echo backend sets no headers
    }

    @Override
    public void annotate(String key, String value) {
        // the echo backend adds nothing to the log line
    }
}
