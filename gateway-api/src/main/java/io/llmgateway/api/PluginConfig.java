package io.llmgateway.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Configuration text by key ({@code LLM_POOL_SIZE}, {@code ANTHROPIC_API_KEY}, ...). Plugins read typed,
 * validated values through {@link PluginContext#settings()}; the typed accessors here parse with the same
 * {@link ValueTypes} and fail with a {@link PluginConfigurationException} that names the key and the bad value.
 */
@FunctionalInterface
public interface PluginConfig {

    /**
     * The raw value; blank values count as absent.
     *
     * @param key the key, for example {@code LLM_POOL_SIZE}
     * @return the value if set
     */
    Optional<String> value(String key);

    /**
     * A string value with a default.
     *
     * @param key          the key
     * @param defaultValue used when the key is not set
     * @return the value
     */
    default String string(String key, String defaultValue) {
        return value(key).orElse(defaultValue);
    }

    /**
     * An integer value within a range ({@link ValueTypes#integer}).
     *
     * @param key          the key
     * @param defaultValue used when the key is not set
     * @param min          smallest accepted value
     * @param max          largest accepted value
     * @return the value
     */
    default int integer(String key, int defaultValue, int min, int max) {
        return typed(key, ValueTypes.integer(min, max), defaultValue);
    }

    /**
     * A duration ({@link ValueTypes#duration}: {@code 30s}, {@code 500ms}, or a bare number of seconds).
     *
     * @param key          the key
     * @param defaultValue used when the key is not set
     * @return the duration, never negative
     */
    default Duration seconds(String key, Duration defaultValue) {
        return typed(key, ValueTypes.duration(), defaultValue);
    }

    /**
     * A byte count ({@link ValueTypes#bytes}: {@code 1048576}, {@code 512k}, {@code 64m}, {@code 2g}).
     *
     * @param key          the key
     * @param defaultValue the value when the key is absent
     * @param min          the smallest value accepted
     * @return the number of bytes
     * @throws PluginConfigurationException when the value is not a byte count, or less than {@code min}
     */
    default long bytes(String key, long defaultValue, long min) {
        return typed(key, ValueTypes.bytes(min, Long.MAX_VALUE), defaultValue);
    }

    /**
     * A boolean value ({@link ValueTypes#bool}: {@code true/false}, {@code 1/0}, {@code yes/no}, {@code on/off}).
     *
     * @param key          the key
     * @param defaultValue used when the key is not set
     * @return the value
     */
    default boolean bool(String key, boolean defaultValue) {
        return typed(key, ValueTypes.bool(), defaultValue);
    }

    private <T> T typed(String key, ValueType<T> type, T defaultValue) {
        Optional<String> raw = value(key).filter(text -> !text.isBlank());
        return raw.isEmpty() ? defaultValue : SettingSpec.of("value", type, "").parse(raw.get(), key);
    }
}
