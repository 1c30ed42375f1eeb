package io.llmgateway.middleware.auth;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;

/**
 * Provides the auth middleware when {@code LLM_API_KEYS} or {@code LLM_API_KEYS_FILE} is set (both may
 * be: their keys add up). Without either, calls are not authenticated.
 */
public final class AuthMiddlewareProvider implements MiddlewareProvider {

    /** First in the chain: nothing else runs for a caller without a key, and all after know the tenant. */
    static final int WEIGHT = 300;

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
        if (file.isEmpty()) {
            return Optional.of(new AuthMiddleware(fixed));
        }
        KeysFile keysFile = new KeysFile(file.get(), context.logger());
        AuthMiddleware middleware = new AuthMiddleware(fixed.and(keysFile.load()));
        context.scheduler().scheduleWithFixedDelay(
                () -> keysFile.reloadIfChanged().ifPresent(reloaded -> middleware.keys(fixed.and(reloaded))),
                1, 1, TimeUnit.SECONDS);
        return Optional.of(middleware);
    }
}
