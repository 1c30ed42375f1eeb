package io.llmgateway.host.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSource;
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
        return bound(what, descriptor, environment.source(), environment.only(variables(descriptor)));
    }

    /**
     * Binds a plugin instance's settings from a section of the configuration file: texts by setting key. A key the
     * descriptor does not declare is refused (with the nearest declared one), as a misspelt setting would otherwise be
     * silently ignored.
     *
     * @param what       the instance as messages name it, such as {@code deployment anthropic-a (api)}
     * @param descriptor its plugin's descriptor
     * @param texts      the texts by key
     * @param nameOf     how messages name a key, such as {@code gw.yaml:14:5: deployments[1].settings.base_url}
     * @return the settings; the raw variables are empty (an instance from the file reads no environment)
     * @throws PluginConfigurationException one line naming the key
     */
    public static PluginSettings bind(String what, PluginDescriptor descriptor, Map<String, String> texts,
                                      Function<String, String> nameOf) {
        Set<String> keys = descriptor.settings().stream().map(SettingSpec::key).collect(Collectors.toSet());
        for (String key : texts.keySet()) {
            if (!keys.contains(key)) {
                String near = UnclaimedSettings.closest(key, keys).map(match -> " (did you mean " + match + "?)").orElse("");
                throw new PluginConfigurationException(what + ": " + nameOf.apply(key) + " is not a setting of "
                                                               + descriptor.name() + near + "; its settings: "
                                                               + String.join(", ", keys.stream().sorted().toList()));
            }
        }
        SettingSource source = new SettingSource() {
            @Override
            public Optional<String> text(SettingSpec<?> spec) {
                return Optional.ofNullable(texts.get(spec.key())).filter(text -> !text.isBlank());
            }

            @Override
            public String nameOf(SettingSpec<?> spec) {
                return nameOf.apply(spec.key());
            }
        };
        return bound(what, descriptor, source, name -> Optional.empty());
    }

    private static PluginSettings bound(String what, PluginDescriptor descriptor, SettingSource source,
                                        PluginConfig variables) {
        Settings settings;
        try {
            settings = Settings.bind(descriptor.settings(), source);
        } catch (PluginConfigurationException e) {
            throw new PluginConfigurationException(what + ": " + e.getMessage());
        }
        List<String> secrets = new ArrayList<>();
        for (SettingSpec<?> spec : descriptor.settings()) {
            if (spec.isSecret()) {
                secrets.addAll(secretsOf(spec, settings));
            }
        }
        return new PluginSettings(settings, variables, secrets);
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
