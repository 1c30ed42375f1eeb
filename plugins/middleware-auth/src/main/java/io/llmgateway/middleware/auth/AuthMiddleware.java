package io.llmgateway.middleware.auth;

import java.util.Optional;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Middleware;

/**
 * Lets a call through only with a known API key, from {@code Authorization: Bearer <key>} or
 * {@code x-api-key}, and names its tenant on the exchange.
 */
final class AuthMiddleware implements Middleware {

    private static final String BEARER = "bearer ";

    private volatile ApiKeys keys;

    AuthMiddleware(ApiKeys keys) {
        this.keys = keys;
    }

    void keys(ApiKeys replacement) {
        keys = replacement;
    }

    @Override
    public void handle(ChatExchange exchange, ChatSink sink, Chain next) {
        Optional<String> presented = presentedKey(exchange);
        if (presented.isEmpty()) {
            throw unauthorized(exchange, "No API key: send it as 'Authorization: Bearer <key>' or as 'x-api-key'");
        }
        String tenant = keys.tenantOf(presented.get())
                .orElseThrow(() -> unauthorized(exchange, "Incorrect API key provided"));
        exchange.tenant(tenant);
        next.proceed(sink);
    }

    private static Optional<String> presentedKey(ChatExchange exchange) {
        Optional<String> authorization = exchange.header("authorization")
                .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(value -> value.substring(BEARER.length()).strip());
        return authorization.or(() -> exchange.header("x-api-key").map(String::strip)).filter(key -> !key.isEmpty());
    }

    private static GatewayException unauthorized(ChatExchange exchange, String message) {
        exchange.responseHeader("www-authenticate", "Bearer");
        return GatewayException.invalidApiKey(message);
    }
}
