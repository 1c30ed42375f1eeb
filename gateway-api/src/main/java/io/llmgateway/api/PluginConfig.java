package io.llmgateway.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Configuration values by key ({@code LLM_POOL_SIZE}, {@code ANTHROPIC_API_KEY}, ...). The typed
 * accessors fail with a {@link PluginConfigurationException} that names the key and the bad value.
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
     * An integer value within a range.
     *
     * @param key          the key
     * @param defaultValue used when the key is not set
     * @param min          smallest accepted value
     * @param max          largest accepted value
     * @return the value
     */
    default int integer(String key, int defaultValue, int min, int max) {
        Optional<String> raw = value(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(raw.get().trim());
            if (parsed < min || parsed > max) {
                throw new PluginConfigurationException(
                        key + " must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new PluginConfigurationException(key + " must be an integer, got '" + raw.get() + "'");
        }
    }

    /**
     * A duration given in seconds (fractions allowed: {@code 0.5}).
     *
     * @param key          the key
     * @param defaultValue used when the key is not set
     * @return the duration, never negative
     */
    default Duration seconds(String key, Duration defaultValue) {
        Optional<String> raw = value(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(raw.get().trim());
            if (parsed < 0 || Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                throw new PluginConfigurationException(key + " must be a number of seconds >= 0, got " + raw.get());
            }
            return Duration.ofNanos((long) (parsed * 1_000_000_000L));
        } catch (NumberFormatException e) {
            throw new PluginConfigurationException(key + " must be a number of seconds, got '" + raw.get() + "'");
        }
    }

    /**
     * A byte count: plain, or with a binary suffix ({@code 1048576}, {@code 512k}, {@code 64m}, {@code 2g};
     * {@code kib}, {@code mib}, {@code gib} too).
     *
     * @param key          the key
     * @param defaultValue the value when the key is absent
     * @param min          the smallest value accepted
     * @return the number of bytes
     * @throws PluginConfigurationException when the value is not a byte count, or less than {@code min}
     */
    default long bytes(String key, long defaultValue, long min) {
        Optional<String> raw = value(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String text = raw.get().strip().toLowerCase(java.util.Locale.ROOT);
        String digits = text;
        long unit = 1;
        for (String[] suffix : new String[][] {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"},
                                               {"k", "1024"}, {"m", "1048576"}, {"g", "1073741824"}}) {
            if (text.endsWith(suffix[0])) {
                digits = text.substring(0, text.length() - suffix[0].length()).strip();
                unit = Long.parseLong(suffix[1]);
                break;
            }
        }
        long value;
        try {
            value = Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new PluginConfigurationException(key + " must be a number of bytes (optionally with k, m or g), got '"
                                                           + raw.get() + "'");
        }
        if (value < min) {
            throw new PluginConfigurationException(key + " must be at least " + min + " bytes, got '" + raw.get() + "'");
        }
        return value;
    }

    /**
     * A boolean value: {@code true/false}, {@code 1/0}, {@code yes/no}, {@code on/off}.
     *
     * @param key          the key
     * @param defaultValue used when the key is not set
     * @return the value
     */
    default boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = value(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new PluginConfigurationException(key + " must be true or false, got '" + raw.get() + "'");
        };
    }
}
