package io.llmgateway.host.observe;

import java.time.Instant;

/**
 * A JSON object written field by field, for log lines; keeps the field order of the calls.
 */
public final class LogLine {

    private final StringBuilder json = new StringBuilder(256).append('{');

    /**
     * Starts a line with its timestamp.
     *
     * @param time when the event happened
     */
    public LogLine(Instant time) {
        json.append("\"time\":\"").append(time).append('"');
    }

    /**
     * Adds a string field.
     *
     * @param key   field name
     * @param value field value
     * @return this line
     */
    public LogLine field(String key, String value) {
        key(key);
        quote(value);
        return this;
    }

    /**
     * Adds a number field.
     *
     * @param key   field name
     * @param value field value
     * @return this line
     */
    public LogLine field(String key, long value) {
        key(key);
        json.append(value);
        return this;
    }

    /**
     * Adds a decimal number field with millisecond precision.
     *
     * @param key     field name
     * @param seconds the value in seconds, written as milliseconds with three decimals
     * @return this line
     */
    public LogLine millis(String key, double seconds) {
        key(key);
        json.append(Math.round(seconds * 1_000_000.0) / 1000.0);
        return this;
    }

    /**
     * Adds a boolean field.
     *
     * @param key   field name
     * @param value field value
     * @return this line
     */
    public LogLine field(String key, boolean value) {
        key(key);
        json.append(value);
        return this;
    }

    /**
     * The finished JSON object.
     *
     * @return the JSON text
     */
    public String toJson() {
        return json + "}";
    }

    private static boolean needsEscaping(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private void key(String key) {
        json.append(',');
        quote(key);
        json.append(':');
    }

    private void quote(String value) {
        json.append('"');
        if (!needsEscaping(value)) {
            json.append(value).append('"');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
