package io.llmgateway.api;

/**
 * Wraps every chat call on its way to the backend.
 *
 * <p>A middleware may answer on its own without calling {@code next} (a cache hit emits the stored
 * deltas; a rate limit throws a 429), replace the sink to watch the deltas on their way to the client
 * (a cache fill records them; a token counter reads {@link ChatDelta.Usage}), and act after
 * {@code next.proceed} returns (the call or the stream has ended) or throws. It may set the tenant of
 * the exchange (auth) and response headers, as long as nothing has been emitted yet.
 */
@FunctionalInterface
public interface Middleware {

    /**
     * Handles one call.
     *
     * @param exchange the call
     * @param sink     where deltas go towards the client
     * @param next     the rest of the chain, ending in the backend
     */
    void handle(ChatExchange exchange, ChatSink sink, Chain next);

    /**
     * The rest of the chain.
     */
    @FunctionalInterface
    interface Chain {
        /**
         * Passes the call on; returns when the backend has finished.
         *
         * @param sink where the following middleware and the backend emit their deltas
         */
        void proceed(ChatSink sink);
    }
}
