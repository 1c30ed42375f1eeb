package io.llmgateway.host.plugins;

import java.nio.file.Path;
import java.util.List;

import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.MiddlewareProvider;

/**
 * A plugin folder that loaded, with the services it provides.
 *
 * @param name       the folder name
 * @param folder     the folder
 * @param version    the plugin's version, or {@code unknown}
 * @param isolation  {@code module layer} or {@code class loader}
 * @param backends   backend providers it contains
 * @param middleware middleware providers it contains
 */
public record LoadedPlugin(String name,
                           Path folder,
                           String version,
                           String isolation,
                           List<BackendProvider> backends,
                           List<MiddlewareProvider> middleware) {

    /**
     * Copies the lists.
     */
    public LoadedPlugin {
        backends = List.copyOf(backends);
        middleware = List.copyOf(middleware);
    }

    /**
     * A plugin that comes with the host's class path rather than a folder (tests, embedding).
     *
     * @param name       a name for logs
     * @param backends   backend providers
     * @param middleware middleware providers
     * @return the plugin
     */
    public static LoadedPlugin builtIn(String name, List<BackendProvider> backends, List<MiddlewareProvider> middleware) {
        return new LoadedPlugin(name, Path.of("."), "built-in", "none", backends, middleware);
    }
}
