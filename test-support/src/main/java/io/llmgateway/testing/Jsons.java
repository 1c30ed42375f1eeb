package io.llmgateway.testing;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * JSON helpers shared by the fakes. The provider and its factories are looked up once: the static
 * methods of {@code jakarta.json.Json} run the service loader on every call, which is too slow for a
 * server that answers tens of thousands of requests a second.
 */
final class Jsons {
    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());

    private Jsons() {
    }

    static JsonObjectBuilder object() {
        return BUILDERS.createObjectBuilder();
    }

    static JsonArrayBuilder array() {
        return BUILDERS.createArrayBuilder();
    }

    /** {@return the string as a JSON value, or {@code null} as JSON null} */
    static JsonValue stringOrNull(String value) {
        return value == null ? JsonValue.NULL : PROVIDER.createValue(value);
    }

    /** {@return the UTF-8 bytes as a JSON object, or null if they are not one} */
    static JsonObject parseObject(byte[] utf8) {
        try (JsonReader reader = READERS.createReader(new ByteArrayInputStream(utf8), StandardCharsets.UTF_8)) {
            return asObject(reader.readValue());
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }

    /** {@return the line as a JSON object, or null if it is not one} */
    static JsonObject parseObject(String line) {
        try (JsonReader reader = READERS.createReader(new StringReader(line))) {
            return asObject(reader.readValue());
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }

    private static JsonObject asObject(JsonValue value) {
        return value instanceof JsonObject object ? object : null;
    }

    /**
     * {@return the text of an Anthropic {@code content} or {@code system} value: the string itself, or the
     * {@code text} of every {@code text} block of an array joined with new lines; empty for anything else}
     */
    static String text(JsonValue content) {
        if (content instanceof JsonString string) {
            return string.getString();
        }
        if (content instanceof JsonArray blocks) {
            return blocks.stream()
                    .filter(block -> block instanceof JsonObject object
                            && "text".equals(object.getString("type", null))
                            && object.get("text") instanceof JsonString)
                    .map(block -> block.asJsonObject().getString("text"))
                    .collect(Collectors.joining("\n"));
        }
        return "";
    }

    /** {@return the string member, or null if it is absent or not a string} */
    static String string(JsonObject object, String name) {
        return object.get(name) instanceof JsonString string ? string.getString() : null;
    }

    /**
     * {@return a tool call's arguments in the fragments both APIs stream them in: an empty one first, as
     * the real APIs send, then the JSON text in up to {@code pieces} pieces (never splitting a surrogate pair)}
     */
    static List<String> fragments(String json, int pieces) {
        List<String> fragments = new ArrayList<>(List.of(""));
        int size = Math.max(1, (json.length() + pieces - 1) / pieces);
        int start = 0;
        while (start < json.length()) {
            int end = Math.min(json.length(), start + size);
            if (end < json.length() && Character.isLowSurrogate(json.charAt(end))) {
                end++;
            }
            fragments.add(json.substring(start, end));
            start = end;
        }
        return fragments;
    }
}
