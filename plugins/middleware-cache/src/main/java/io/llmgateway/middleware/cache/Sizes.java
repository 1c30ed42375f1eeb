package io.llmgateway.middleware.cache;

import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.ChatDelta;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Approximate heap sizes in bytes, for weighing cache entries against {@code LLM_CACHE_MAX_BYTES}: a
 * 64-bit JVM with compressed references. Close enough that the cache's real footprint stays near its
 * budget, cheap enough to count on every delta of a miss.
 */
final class Sizes {

    /**
     * What every entry takes besides its answer: the key (48 bytes), Caffeine's node (56), its slots in the map's
     * table and the frequency sketch (about 20), and what the heap's own layout adds, as measured: a full cache of
     * short answers held about 320 bytes an entry (75-character answers) where the parts add up to about 290.
     */
    private static final long KEPT = 160;
    /** A {@link CachedAnswer.Text} besides its string. */
    static final long TEXT_ANSWER = KEPT + 48;
    /** A {@link CachedAnswer.Deltas} besides its deltas: the record, its list and the list's array. */
    static final long DELTAS_ANSWER = KEPT + 56;

    private static final long OBJECT = 16;
    private static final long REFERENCE = 8;

    private Sizes() {
    }

    /**
     * The size of a delta as the cache keeps it.
     *
     * @param delta the delta
     * @return bytes, its slot in the entry's list included
     */
    static long of(ChatDelta delta) {
        long own = switch (delta) {
            case ChatDelta.Text(String text) -> OBJECT + string(text);
            case ChatDelta.ToolCallFragment fragment -> 2 * OBJECT + optional(fragment.id())
                    + optional(fragment.name()) + string(fragment.arguments());
            case ChatDelta.Finish finish -> OBJECT;
            case ChatDelta.Usage usage -> OBJECT + 40;
            case ChatDelta.Passthrough(JsonObject object) -> OBJECT + json(object);
        };
        return own + REFERENCE;
    }

    /**
     * The size of a string: header, array header and one byte per character, or two when any
     * character is beyond Latin-1 (compact strings).
     *
     * @param text the string
     * @return bytes
     */
    static long string(String text) {
        int bytesPerChar = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                bytesPerChar = 2;
                break;
            }
        }
        return align(24) + align(16 + (long) text.length() * bytesPerChar);
    }

    /**
     * The size of a parsed JSON value (Parsson's immutable maps and lists).
     *
     * @param value the value
     * @return bytes
     */
    static long json(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> {
                long size = 64;
                for (Map.Entry<String, JsonValue> member : ((JsonObject) value).entrySet()) {
                    size += 32 + string(member.getKey()) + json(member.getValue());
                }
                yield size;
            }
            case ARRAY -> {
                long size = 48;
                for (JsonValue item : (JsonArray) value) {
                    size += REFERENCE + json(item);
                }
                yield size;
            }
            case STRING -> OBJECT + string(((JsonString) value).getString());
            case NUMBER -> 48;
            case TRUE, FALSE, NULL -> 0; // shared constants
        };
    }

    /**
     * A size as the cache's weigher takes it.
     *
     * @param bytes the size
     * @return the size, between 1 and {@link Integer#MAX_VALUE}
     */
    static int weight(long bytes) {
        return (int) Math.max(1, Math.min(bytes, Integer.MAX_VALUE));
    }

    private static long optional(Optional<String> value) {
        return value.map(text -> OBJECT + string(text)).orElse(0L);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
