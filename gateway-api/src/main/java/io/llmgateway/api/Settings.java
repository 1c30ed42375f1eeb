package io.llmgateway.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of one plugin instance's settings, parsed and validated by their {@link SettingSpec}s. A plugin
 * reads its settings here, never from the process environment, so the host decides where they come from
 * and two instances of one plugin can be configured apart.
 */
public interface Settings {

    /**
     * A setting's value: the configured one, else its default.
     *
     * @param spec the setting, one of the plugin's descriptor
     * @param <T>  the value's type
     * @return the value, empty when neither is there
     * @throws PluginConfigurationException when the configured text is unusable (for settings parsed on read)
     * @throws IllegalArgumentException     when the setting is not one these settings were bound to
     */
    <T> Optional<T> find(SettingSpec<T> spec);

    /**
     * A setting's value, for settings with a default.
     *
     * @param spec the setting
     * @param <T>  the value's type
     * @return the configured value, else the default
     * @throws PluginConfigurationException when it is neither set nor has a default
     */
    default <T> T get(SettingSpec<T> spec) {
        return find(spec).orElseThrow(() -> new PluginConfigurationException(spec.env().orElse(spec.key())
                                                                                     + " must be set"));
    }

    /**
     * Parses and validates every setting at once: the first unusable value fails.
     *
     * @param specs  the settings, usually a descriptor's
     * @param source where their text comes from
     * @return the values; asking for a setting not among {@code specs} fails
     * @throws PluginConfigurationException naming the first unusable setting
     */
    static Settings bind(List<SettingSpec<?>> specs, SettingSource source) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, SettingSpec<?>> declared = new LinkedHashMap<>();
        for (SettingSpec<?> spec : specs) {
            declared.put(spec.key(), spec);
            source.text(spec).filter(text -> !text.isBlank())
                    .ifPresent(text -> values.put(spec.key(), spec.parse(text, source.nameOf(spec))));
        }
        return new BoundSettings(declared, values);
    }

    /**
     * Settings parsed when asked for, from any source, for contexts that have no descriptor at hand (a plugin
     * created directly in a test): an unusable value fails when it is read.
     *
     * @param source where their text comes from
     * @return the settings
     */
    static Settings parsedOnRead(SettingSource source) {
        return new Settings() {
            @Override
            public <T> Optional<T> find(SettingSpec<T> spec) {
                Optional<String> text = source.text(spec).filter(value -> !value.isBlank());
                return text.isPresent() ? Optional.of(spec.parse(text.get(), source.nameOf(spec))) : spec.defaultValue();
            }
        };
    }
}
