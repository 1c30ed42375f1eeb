package io.llmgateway.host;

import java.util.List;
import java.util.Optional;

import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginConfig;
import io.llmgateway.host.plugins.PluginCatalog;

/**
 * The middleware plugins the project ships and the settings that turn each on. A deployment picks its
 * middleware by the plugin folders it ships; setting a middleware's variables without shipping its
 * plugin is a mistake worth stopping for (an operator who sets LLM_API_KEYS expects auth).
 */
final class MiddlewarePlugins {

    private static final List<Known> KNOWN = List.of(
            new Known("auth", "middleware-auth", List.of("LLM_API_KEYS", "LLM_API_KEYS_FILE")),
            new Known("ratelimit", "middleware-ratelimit", List.of("LLM_RATE_LIMIT_RPM", "LLM_RATE_LIMIT_TPM")),
            new Known("cache", "middleware-cache", List.of("LLM_CACHE_TTL")));

    private MiddlewarePlugins() {
    }

    /**
     * Checks that every configured middleware has its plugin.
     *
     * @param config  the configuration
     * @param catalog the loaded plugins
     * @throws GatewayStartupException naming the missing plugin
     */
    static void checkConfigured(GatewayConfig config, PluginCatalog catalog) {
        PluginConfig source = config.source();
        for (Known known : KNOWN) {
            Optional<String> setting = known.keys().stream().filter(key -> source.value(key).isPresent()).findFirst();
            boolean loaded = catalog.middleware().stream()
                    .map(PluginCatalog.Provided::provider)
                    .map(MiddlewareProvider::name)
                    .anyMatch(known.name()::equals);
            if (setting.isPresent() && !loaded) {
                throw new GatewayStartupException(setting.get() + " is set, but the " + known.name()
                                                          + " middleware's plugin (" + known.folder() + ") is not in "
                                                          + config.pluginsDir() + "; add its folder there or unset "
                                                          + setting.get());
            }
        }
    }

    private record Known(String name, String folder, List<String> keys) {
    }
}
