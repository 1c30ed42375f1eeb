package io.llmgateway.host.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.Settings;

/**
 * One plugin instance's configuration, scoped to what its descriptor declares: its validated settings, the raw
 * variables it may read, and the secret values among them.
 *
 * @param settings the validated settings
 * @param config   the declared variables only
 * @param secrets  the texts to mask wherever they appear
 */
public record PluginSettings(Settings settings, PluginConfig config, List<String> secrets) {

    /**
     * Copies.
     */
    public PluginSettings {
        secrets = List.copyOf(secrets);
    }

    /**
     * Binds a plugin's settings from the environment.
     *
     * @param what        the plugin as messages name it, such as {@code backend cli}
     * @param descriptor  its descriptor
     * @param environment the environment
     * @return the settings
     * @throws PluginConfigurationException one line: the plugin, the variable, the value (unless secret) and what
     *                                      is allowed
     */
    public static PluginSettings bind(String what, PluginDescriptor descriptor, Environment environment) {
        Settings settings;
        try {
            settings = Settings.bind(descriptor.settings(), environment.source());
        } catch (PluginConfigurationException e) {
            throw new PluginConfigurationException(what + ": " + e.getMessage());
        }
        List<String> secrets = new ArrayList<>();
        for (SettingSpec<?> spec : descriptor.settings()) {
            if (spec.isSecret()) {
                secrets.addAll(secretsOf(spec, settings));
            }
        }
        return new PluginSettings(settings, environment.only(variables(descriptor)), secrets);
    }

    /**
     * The variables a descriptor reads.
     *
     * @param descriptor the descriptor
     * @return the variable names
     */
    public static Set<String> variables(PluginDescriptor descriptor) {
        return descriptor.settings().stream().map(SettingSpec::env).flatMap(Optional::stream).collect(Collectors.toSet());
    }

    private static <T> List<String> secretsOf(SettingSpec<T> spec, Settings settings) {
        return settings.find(spec).map(value -> spec.type().secretsIn(value)).orElse(List.of());
    }
}
