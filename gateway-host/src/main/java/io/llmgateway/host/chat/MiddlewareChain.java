package io.llmgateway.host.chat;

import java.util.List;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.Middleware;

/**
 * Runs a call through the middleware, outermost first, and finally through the backend.
 */
public final class MiddlewareChain {

    private final List<Middleware> middleware;

    /**
     * Creates a chain.
     *
     * @param middleware the middleware, outermost (highest weight) first
     */
    public MiddlewareChain(List<Middleware> middleware) {
        this.middleware = List.copyOf(middleware);
    }

    void run(ChatExchange exchange, ChatSink sink, Backend backend) {
        proceed(0, exchange, sink, backend);
    }

    private void proceed(int index, ChatExchange exchange, ChatSink sink, Backend backend) {
        if (index == middleware.size()) {
            backend.chat(exchange, sink);
            return;
        }
        middleware.get(index).handle(exchange, sink, next -> proceed(index + 1, exchange, next, backend));
    }
}
