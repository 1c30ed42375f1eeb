package io.llmgateway.api;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One setting a plugin reads: its key, the environment variable it is read from, its {@link ValueType} (which
 * also bounds its range), its default, whether it is secret, and one line of documentation. Immutable; the
 * {@code with...} methods return a copy:
 *
 * <pre>{@code
 * static final SettingSpec<Integer> POOL_SIZE = SettingSpec.of("pool_size", ValueTypes.integer(0, 64),
 *         "warm sessions kept ready").env("LLM_POOL_SIZE").defaultValue(2);
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class SettingSpec<T> {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern ENV = Pattern.compile("[A-Z][A-Z0-9_]{0,127}");
    /** Longer texts are cut in messages: the line must stay one line and readable. */
    private static final int SHOWN = 80;

    private final String key;
    private final String env;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String defaultText;
    private final boolean secret;
    private final String doc;

    private SettingSpec(String key, String env, ValueType<T> type, T defaultValue, String defaultText, boolean secret,
                        String doc) {
        this.key = key;
        this.env = env;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.secret = secret;
        this.doc = doc;
    }

    /**
     * A setting without default, environment variable or secrecy (add them with the {@code with} methods).
     *
     * @param key  lower-case words joined by {@code _}, as a configuration file names it, such as {@code pool_size}
     * @param type its value type
     * @param doc  what it does, in one line
     * @param <T>  the value's type
     * @return the setting
     */
    public static <T> SettingSpec<T> of(String key, ValueType<T> type, String doc) {
        requireNonNull(key, "key is null");
        requireNonNull(type, "type is null");
        requireNonNull(doc, "doc is null");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a setting key is lower-case letters, digits and '_': " + key);
        }
        if (doc.contains("\n") || doc.contains("|")) {
            throw new IllegalArgumentException("a setting's doc is one line without '|': " + key);
        }
        return new SettingSpec<>(key, null, type, null, "", type.secret(), doc);
    }

    /**
     * The same setting, read from an environment variable.
     *
     * @param variable the variable, such as {@code LLM_POOL_SIZE}
     * @return the copy
     */
    public SettingSpec<T> env(String variable) {
        if (!ENV.matcher(requireNonNull(variable, "variable is null")).matches()) {
            throw new IllegalArgumentException("an environment variable is upper-case letters, digits and '_': " + variable);
        }
        return new SettingSpec<>(key, variable, type, defaultValue, defaultText, secret, doc);
    }

    /**
     * The same setting with a default value.
     *
     * @param value the value when the setting is not set
     * @return the copy
     */
    public SettingSpec<T> defaultValue(T value) {
        requireNonNull(value, "value is null");
        return new SettingSpec<>(key, env, type, value, secret ? "" : type.format(value), secret, doc);
    }

    /**
     * The same setting with its default described in words, for a default the plugin works out itself (a new
     * temporary directory, a quarter of the heap).
     *
     * @param description the default, as the settings table shows it
     * @return the copy
     */
    public SettingSpec<T> defaultText(String description) {
        return new SettingSpec<>(key, env, type, defaultValue, requireNonNull(description, "description is null"),
                                 secret, doc);
    }

    /**
     * The same setting, secret: its value is never printed and is masked in logs and error bodies.
     *
     * @return the copy
     */
    public SettingSpec<T> secret() {
        return new SettingSpec<>(key, env, type, defaultValue, "", true, doc);
    }

    /**
     * The key.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * The environment variable the setting is read from, when it has one.
     *
     * @return the variable
     */
    public Optional<String> env() {
        return Optional.ofNullable(env);
    }

    /**
     * The value type.
     *
     * @return the type
     */
    public ValueType<T> type() {
        return type;
    }

    /**
     * The default value.
     *
     * @return the value, if there is one
     */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * The default as the settings table shows it.
     *
     * @return the text, empty without a default
     */
    public String defaultText() {
        return defaultText;
    }

    /**
     * Whether the value is secret.
     *
     * @return true for secrets
     */
    public boolean isSecret() {
        return secret;
    }

    /**
     * The documentation line.
     *
     * @return the line
     */
    public String doc() {
        return doc;
    }

    /**
     * Parses a configured text.
     *
     * @param text the text, not blank
     * @param name what the operator calls the setting, for the message: {@code LLM_POOL_SIZE}, or a path in a
     *             configuration file
     * @return the value
     * @throws PluginConfigurationException one line naming the setting, the text (unless secret) and what is allowed
     */
    public T parse(String text, String name) {
        try {
            return requireNonNull(type.parse(text), "a value type returned null");
        } catch (IllegalArgumentException e) {
            throw new PluginConfigurationException(name + " " + e.getMessage() + (secret ? "" : ", got '" + shown(text) + "'"));
        }
    }

    private static String shown(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() <= SHOWN ? oneLine : oneLine.substring(0, SHOWN) + "...";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SettingSpec<?> that && key.equals(that.key) && Objects.equals(env, that.env)
                && type.equals(that.type) && Objects.equals(defaultValue, that.defaultValue)
                && defaultText.equals(that.defaultText) && secret == that.secret && doc.equals(that.doc);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, env, type, defaultValue, secret);
    }

    @Override
    public String toString() {
        return "setting " + key + (env == null ? "" : " (" + env + ")");
    }
}
