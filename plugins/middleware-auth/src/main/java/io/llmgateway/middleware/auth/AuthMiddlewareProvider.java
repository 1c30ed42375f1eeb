package io.llmgateway.middleware.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginContext;

/**
 * Provides the auth middleware when {@code LLM_API_KEYS} or {@code LLM_API_KEYS_FILE} is set (both may
 * be: their keys add up). Without either, calls are not authenticated.
 */
public final class AuthMiddlewareProvider implements MiddlewareProvider {

    /** First in the chain: nothing else runs for a caller without a key, and all after know the tenant. */
    static final int WEIGHT = 300;
    /** Enough for a person mistyping, far too few for guessing: then one a second, 86,400 a day. */
    static final int DEFAULT_FAILURE_BURST = 20;
    static final Duration DEFAULT_FAILURE_REFILL = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    public Optional<Middleware> create(PluginContext context) {
        PluginConfig config = context.config();
        Optional<ApiKeys> inline = config.value("LLM_API_KEYS").map(text -> ApiKeys.parse(text, "LLM_API_KEYS"));
        Optional<Path> file = config.value("LLM_API_KEYS_FILE").map(Path::of);
        if (inline.isEmpty() && file.isEmpty()) {
            return Optional.empty();
        }
        ApiKeys fixed = inline.orElse(ApiKeys.parse("", "LLM_API_KEYS"));
        Optional<FailedAuthLimit> failures = failedAuthLimit(config, context);
        if (file.isEmpty()) {
            return Optional.of(new AuthMiddleware(fixed, failures, context.metrics()));
        }
        KeysFile keysFile = new KeysFile(file.get(), context.logger());
        AuthMiddleware middleware = new AuthMiddleware(fixed.and(keysFile.load()), failures, context.metrics());
        context.scheduler().scheduleWithFixedDelay(
                () -> keysFile.reloadIfChanged().ifPresent(reloaded -> middleware.keys(fixed.and(reloaded))),
                1, 1, TimeUnit.SECONDS);
        return Optional.of(middleware);
    }

    /** {@code LLM_AUTH_FAILURE_BURST} failures per address (0: no limit), then one per {@code LLM_AUTH_FAILURE_REFILL}. */
    private static Optional<FailedAuthLimit> failedAuthLimit(PluginConfig config, PluginContext context) {
        int burst = config.integer("LLM_AUTH_FAILURE_BURST", DEFAULT_FAILURE_BURST, 0, 1_000_000);
        Duration refill = config.seconds("LLM_AUTH_FAILURE_REFILL", DEFAULT_FAILURE_REFILL);
        if (refill.isZero()) {
            throw new PluginConfigurationException("LLM_AUTH_FAILURE_REFILL must be more than 0 seconds");
        }
        return burst == 0 ? Optional.empty() : Optional.of(new FailedAuthLimit(burst, refill, context.clock()));
    }
}
