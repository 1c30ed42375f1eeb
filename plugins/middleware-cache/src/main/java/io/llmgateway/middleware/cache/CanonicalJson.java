package io.llmgateway.middleware.cache;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Writes JSON values in one canonical form straight into a SHA-256 digest, so that two requests that
 * differ only in key order, whitespace or the spelling of a number ({@code 1}, {@code 1.0},
 * {@code 1e0}) hash alike: object members sorted by key (UTF-16 order, as RFC 8785), no whitespace,
 * numbers by value ({@link BigDecimal#stripTrailingZeros()}; integers of up to 40 digits plainly, others
 * in {@link BigDecimal#toString()}'s notation), strings exactly as given.
 *
 * <p>The text fed to the digest encodes every value injectively: strings escape {@code "}, {@code \},
 * control characters and every surrogate (so two different strings never encode alike, lone
 * surrogates included), and text is fed in chunks so that a large body (base64 images) is never
 * copied whole. Not thread-safe: one instance per key.
 */
final class CanonicalJson {

    /** Numbers with more bits than this are written as given rather than normalized (stripping is quadratic). */
    private static final int MAX_NORMALIZED_BITS = 512;
    /** Integers up to this many digits are written plainly ({@code 100}, not {@code 1E+2}). */
    private static final int MAX_PLAIN_DIGITS = 40;
    /**
     * Bytes gathered before they go to the digest. Small, because every key allocates its buffer anew: 8 KiB
     * made a third of a cache hit's cost zeroing memory, while SHA-256 takes 64 bytes at a time anyway.
     */
    private static final int CHUNK = 512;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Cloned per key: far cheaper than looking the algorithm up each time. */
    private static final MessageDigest SHA_256 = newDigest();

    private final MessageDigest digest;
    private final ByteArrayOutputStream text;
    /** UTF-8 written straight into bytes (no surrogate reaches here unescaped, so each char is 1-3 bytes). */
    private final byte[] buffer = new byte[CHUNK + 3];
    private int length;

    /** A writer into a SHA-256 digest. */
    CanonicalJson() {
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of this JVM cannot be cloned", e);
        }
        text = null;
    }

    private CanonicalJson(ByteArrayOutputStream text) {
        this.digest = null;
        this.text = text;
    }

    /**
     * Writes a JSON value.
     *
     * @param value the value
     * @return this writer
     */
    CanonicalJson value(JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> object((JsonObject) value, Set.of());
            case ARRAY -> {
                JsonArray array = (JsonArray) value;
                append('[');
                for (int i = 0; i < array.size(); i++) {
                    if (i > 0) {
                        append(',');
                    }
                    value(array.get(i));
                }
                append(']');
            }
            case STRING -> string(((JsonString) value).getString());
            case NUMBER -> number((JsonNumber) value);
            case TRUE -> append("true");
            case FALSE -> append("false");
            case NULL -> append("null");
        }
        return this;
    }

    /**
     * Writes an object without some of its members, and without members whose value is {@code null}
     * when asked (OpenAI's API reads an explicit null as absent).
     *
     * @param object   the object
     * @param excluded keys to leave out
     * @return this writer
     */
    CanonicalJson object(JsonObject object, Set<String> excluded) {
        return object(object, excluded, false);
    }

    /**
     * Writes an object without some of its members.
     *
     * @param object    the object
     * @param excluded  keys to leave out
     * @param skipNulls whether members with a {@code null} value are left out too
     * @return this writer
     */
    CanonicalJson object(JsonObject object, Set<String> excluded, boolean skipNulls) {
        List<String> keys = new ArrayList<>(object.size());
        for (Map.Entry<String, JsonValue> member : object.entrySet()) {
            if (excluded.contains(member.getKey())
                    || (skipNulls && member.getValue().getValueType() == JsonValue.ValueType.NULL)) {
                continue;
            }
            keys.add(member.getKey());
        }
        keys.sort(null);
        append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                append(',');
            }
            string(keys.get(i));
            append(':');
            value(object.get(keys.get(i)));
        }
        append('}');
        return this;
    }

    /**
     * Writes a string, or {@code null} for a missing one.
     *
     * @param text the string, may be null
     * @return this writer
     */
    CanonicalJson string(String text) {
        if (text == null) {
            append("null");
            return this;
        }
        append('"');
        int end = text.length();
        int i = 0;
        while (i < end) {
            // most text is printable ASCII: copied in a tight loop, one byte a character, up to the buffer's end
            int runEnd = Math.min(end, i + CHUNK - length);
            byte[] bytes = buffer;
            int at = length;
            for (; i < runEnd; i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                    break;
                }
                bytes[at++] = (byte) c;
            }
            length = at;
            if (i < runEnd) {
                special(text.charAt(i++));
            } else if (length >= CHUNK) {
                flush();
            }
        }
        append('"');
        return this;
    }

    /** A character the fast path of {@link #string} leaves: escaped, or encoded in more than one byte. */
    private void special(char c) {
        if (c == '"' || c == '\\') {
            append('\\').append(c);
        } else if (c < 0x20 || Character.isSurrogate(c)) {
            append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                    .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
        } else {
            append(c);
        }
    }

    /**
     * Writes raw structure characters ({@code [}, {@code ,}, ...) between values.
     *
     * @param text the characters
     * @return this writer
     */
    CanonicalJson raw(String text) {
        return append(text);
    }

    /**
     * The SHA-256 of everything written. Ends the writer.
     *
     * @return 32 bytes
     */
    byte[] sha256() {
        if (digest == null) {
            throw new IllegalStateException("not a digest writer");
        }
        flush();
        return digest.digest();
    }

    /** The canonical text of a value; for tests and diagnostics (the key itself never keeps it). */
    static String text(JsonValue value) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new CanonicalJson(text).value(value).flush();
        return text.toString(StandardCharsets.UTF_8);
    }

    private void number(JsonNumber number) {
        BigDecimal decimal = number.bigDecimalValue();
        if (decimal.unscaledValue().bitLength() <= MAX_NORMALIZED_BITS) {
            // one spelling per value: 1, 1.0, 1e0 and 10e-1 become 1, 1e2 becomes 100, 0.50 becomes 0.5, -0.0 becomes 0
            BigDecimal stripped = decimal.stripTrailingZeros();
            boolean smallInteger = stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= MAX_PLAIN_DIGITS;
            append(smallInteger ? stripped.toPlainString() : stripped.toString());
        } else {
            append(decimal.toString());
        }
    }

    private CanonicalJson append(char c) {
        if (c < 0x80) {
            buffer[length++] = (byte) c;
        } else if (c < 0x800) {
            buffer[length++] = (byte) (0xC0 | c >> 6);
            buffer[length++] = (byte) (0x80 | c & 0x3F);
        } else {
            buffer[length++] = (byte) (0xE0 | c >> 12);
            buffer[length++] = (byte) (0x80 | c >> 6 & 0x3F);
            buffer[length++] = (byte) (0x80 | c & 0x3F);
        }
        if (length >= CHUNK) {
            flush();
        }
        return this;
    }

    private CanonicalJson append(String text) {
        for (int i = 0; i < text.length(); i++) {
            append(text.charAt(i));
        }
        return this;
    }

    private void flush() {
        if (length > 0) {
            if (digest != null) {
                digest.update(buffer, 0, length);
            } else {
                text.write(buffer, 0, length);
            }
            length = 0;
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
