package io.llmgateway.middleware.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.PluginMetrics;

/**
 * Lets a call through only with a known API key, from {@code Authorization: Bearer <key>} or
 * {@code x-api-key}, and names its tenant on the exchange. An address that failed too often is refused
 * with a 429 before its key is even looked at.
 */
final class AuthMiddleware implements Middleware {

    private static final String BEARER = "bearer ";

    private volatile ApiKeys keys;
    private final Optional<FailedAuthLimit> failures;
    private final PluginMetrics.Counter failed;
    private final PluginMetrics.Counter refused;

    AuthMiddleware(ApiKeys keys, Optional<FailedAuthLimit> failures, PluginMetrics metrics) {
        this.keys = keys;
        this.failures = failures;
        this.failed = metrics.counter("llm_auth_failures_total", "Calls refused for a missing or wrong API key", Map.of());
        this.refused = metrics.counter("llm_auth_refusals_total",
                                       "Calls refused unheard because their address failed authentication too often",
                                       Map.of());
        metrics.gauge("llm_auth_failing_addresses", "Client addresses with failed authentications not yet forgiven",
                      () -> failures.map(FailedAuthLimit::failingAddresses).orElse(0L), Map.of());
    }

    void keys(ApiKeys replacement) {
        keys = replacement;
    }

    @Override
    public void handle(ChatExchange exchange, ChatSink sink, Chain next) {
        String address = exchange.clientAddress();
        Optional<Duration> wait = failures.flatMap(limit -> limit.refusal(address));
        if (wait.isPresent()) {
            refused.increment();
            throw GatewayException.rateLimited("Too many failed authentications from this address; try again in "
                                                       + wait.get().toSeconds() + " s", "requests", wait.get());
        }
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

    private GatewayException unauthorized(ChatExchange exchange, String message) {
        failed.increment();
        failures.ifPresent(limit -> limit.failed(exchange.clientAddress()));
        exchange.responseHeader("www-authenticate", "Bearer");
        return GatewayException.invalidApiKey(message);
    }
}
