package io.llmgateway.api;

import java.util.Map;
import java.util.Optional;

/**
 * Settings parsed and validated at once ({@link Settings#bind}): reading one is a map lookup.
 */
final class BoundSettings implements Settings {

    private final Map<String, SettingSpec<?>> declared;
    private final Map<String, Object> values;

    BoundSettings(Map<String, SettingSpec<?>> declared, Map<String, Object> values) {
        this.declared = Map.copyOf(declared);
        this.values = Map.copyOf(values);
    }

    @Override
    @SuppressWarnings("unchecked") // the value was parsed by the spec registered under its key, checked equal here
    public <T> Optional<T> find(SettingSpec<T> spec) {
        SettingSpec<?> known = declared.get(spec.key());
        if (known == null || !known.equals(spec)) {
            throw new IllegalArgumentException(spec + " is not declared by the plugin's descriptor");
        }
        Object value = values.get(spec.key());
        return value == null ? spec.defaultValue() : Optional.of((T) value);
    }
}
