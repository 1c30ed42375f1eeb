package io.llmgateway.api;

import java.util.List;

/**
 * How the text of a setting becomes a value: one parser per kind of value (see {@link ValueTypes} for the ones
 * every plugin shares), so that {@code 64m}, {@code 30s} or {@code a=b,c=d} mean the same in every setting.
 *
 * @param <T> the value's type
 */
public interface ValueType<T> {

    /**
     * Parses a setting's text (never blank).
     *
     * @param text the text as configured
     * @return the value
     * @throws IllegalArgumentException with a message that continues the setting's name and says what is
     *                                  allowed, such as {@code must be an integer from 0 to 64}; it never
     *                                  repeats the text (the caller adds it unless the setting is secret)
     */
    T parse(String text);

    /**
     * The type's name in the settings table, such as {@code integer} or {@code duration}.
     *
     * @return the name
     */
    String typeName();

    /**
     * The values allowed, in the settings table, such as {@code 0..64}; empty when every value of the type is.
     *
     * @return the range
     */
    default String range() {
        return "";
    }

    /**
     * A value written as it would be configured, for defaults in the settings table.
     *
     * @param value the value
     * @return its text
     */
    default String format(T value) {
        return String.valueOf(value);
    }

    /**
     * Whether every value of this type is a secret (never printed, masked in logs and error bodies).
     *
     * @return true for secrets
     */
    default boolean secret() {
        return false;
    }

    /**
     * The pieces of a secret value that must be masked wherever they appear: the whole text by default, each
     * key of a list of keys.
     *
     * @param value the value
     * @return the secret texts
     */
    default List<String> secretsIn(T value) {
        return List.of(format(value));
    }
}
