package io.llmgateway.host.chat;

import java.util.List;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.Middleware;

/**
 * Runs a call through the middleware, outermost first, and finally through the router: middleware (auth
 * first) sees every call before a model is looked up, so an unauthenticated call never learns what is served.
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

    void run(ChatExchange exchange, ChatSink sink, Terminal end) {
        proceed(0, exchange, sink, end);
    }

    private void proceed(int index, ChatExchange exchange, ChatSink sink, Terminal end) {
        if (index == middleware.size()) {
            end.chat(exchange, sink);
            return;
        }
        middleware.get(index).handle(exchange, sink, next -> proceed(index + 1, exchange, next, end));
    }

    /** What the chain ends in: the router's attempts (or, in tests, one backend). */
    @FunctionalInterface
    interface Terminal {
        /**
         * Serves the call.
         *
         * @param exchange the call
         * @param sink     where the answer goes
         */
        void chat(ChatExchange exchange, ChatSink sink);
    }
}
