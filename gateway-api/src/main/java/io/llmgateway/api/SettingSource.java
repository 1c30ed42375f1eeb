package io.llmgateway.api;

import java.util.Map;
import java.util.Optional;

/**
 * Where the text of settings comes from, and what the operator calls each one there: the environment by
 * variable name, or a section of a configuration file by key.
 */
public interface SettingSource {

    /**
     * A setting's text; blank counts as absent.
     *
     * @param spec the setting
     * @return its text, if configured
     */
    Optional<String> text(SettingSpec<?> spec);

    /**
     * The setting's name where it is configured, for messages.
     *
     * @param spec the setting
     * @return the name, such as {@code LLM_POOL_SIZE}
     */
    String nameOf(SettingSpec<?> spec);

    /**
     * Settings read from environment variables, each from its {@link SettingSpec#env()}; a setting without a
     * variable is never set here.
     *
     * @param variables the variables and their values
     * @return the source
     */
    static SettingSource environment(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return environment(name -> Optional.ofNullable(copy.get(name)));
    }

    /**
     * Settings read from a {@link PluginConfig} by environment variable name.
     *
     * @param config the values by variable name
     * @return the source
     */
    static SettingSource environment(PluginConfig config) {
        return new SettingSource() {
            @Override
            public Optional<String> text(SettingSpec<?> spec) {
                return spec.env().flatMap(config::value).filter(text -> !text.isBlank());
            }

            @Override
            public String nameOf(SettingSpec<?> spec) {
                return spec.env().orElse(spec.key());
            }
        };
    }
}
