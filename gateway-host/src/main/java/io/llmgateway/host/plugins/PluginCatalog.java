package io.llmgateway.host.plugins;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.MiddlewareProvider;

/**
 * The plugins that loaded and the ones that failed.
 *
 * @param plugins  loaded plugins, in folder order
 * @param failures one message per plugin that failed to load
 */
public record PluginCatalog(List<LoadedPlugin> plugins, List<String> failures) {

    /**
     * Copies the lists.
     */
    public PluginCatalog {
        plugins = List.copyOf(plugins);
        failures = List.copyOf(failures);
    }

    /**
     * The provider of a backend type; the first plugin wins when two provide the same type.
     *
     * @param type the backend type
     * @return the provider and its plugin
     */
    public Optional<Provided<BackendProvider>> backend(String type) {
        return backendsByType().getOrDefault(type, List.of()).stream().findFirst();
    }

    /**
     * Every backend type some plugin provides, sorted.
     *
     * @return the types
     */
    public List<String> backendTypes() {
        return List.copyOf(new TreeSet<>(backendsByType().keySet()));
    }

    /**
     * Every middleware provider, highest weight (outermost) first.
     *
     * @return the providers with their plugins
     */
    public List<Provided<MiddlewareProvider>> middleware() {
        List<Provided<MiddlewareProvider>> all = new ArrayList<>();
        for (LoadedPlugin plugin : plugins) {
            plugin.middleware().forEach(provider -> all.add(new Provided<>(plugin, provider)));
        }
        all.sort(Comparator.comparingInt((Provided<MiddlewareProvider> p) -> p.provider().weight()).reversed());
        return all;
    }

    private Map<String, List<Provided<BackendProvider>>> backendsByType() {
        Map<String, List<Provided<BackendProvider>>> byType = new LinkedHashMap<>();
        for (LoadedPlugin plugin : plugins) {
            for (BackendProvider provider : plugin.backends()) {
                byType.computeIfAbsent(provider.type(), type -> new ArrayList<>()).add(new Provided<>(plugin, provider));
            }
        }
        return byType;
    }

    /**
     * A service provider with the plugin it came from.
     *
     * @param plugin   the plugin
     * @param provider the provider
     * @param <T>      the service type
     */
    public record Provided<T>(LoadedPlugin plugin, T provider) {
    }
}
