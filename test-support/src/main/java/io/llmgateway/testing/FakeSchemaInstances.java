package io.llmgateway.testing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * A stand-in for a model filling in a JSON Schema, for fakes: one plain, deterministic instance of a schema.
 * It knows the common keywords and nothing clever: objects fill every property (beyond a nesting depth of
 * {@value #MAX_DEPTH} only the required ones, and arrays take their fewest items, so recursive schemas end);
 * strings honour {@code const}, {@code enum}, the usual {@code format}s, {@code minLength}/{@code maxLength}
 * and a {@code pattern} that one of a few stock strings happens to match; numbers and integers sit inside
 * {@code minimum}/{@code maximum} (both draft styles of exclusive bounds) on a {@code multipleOf}; arrays take
 * {@code items} (or a tuple) and {@code minItems}; {@code anyOf}/{@code oneOf} take their first branch that
 * is not {@code null}; {@code allOf} is merged; a type array takes its first type other than {@code null};
 * {@code $ref} follows {@code #}, {@code #/$defs/...} and {@code #/definitions/...}. Constraints written into a
 * {@code description} as a trailing JSON object (where the gateway and Anthropic's SDKs move what native
 * structured outputs cannot enforce) count as keywords, as a model would read them. Not a general
 * generator: the mock backend has that; this one serves the fakes that play a model.
 */
public final class FakeSchemaInstances {

    /** How deep objects and arrays are filled beyond what a schema requires. */
    static final int MAX_DEPTH = 6;

    private static final JsonProvider JSON = JsonProvider.provider();
    /** Deeper than this a schema has no finite instance (a required cycle) as far as this class can see. */
    private static final int MAX_NESTING = 100;
    private static final Map<String, String> FORMATS = Map.ofEntries(
            Map.entry("email", "user@example.com"), Map.entry("idn-email", "user@example.com"),
            Map.entry("uuid", "123e4567-e89b-42d3-a456-426614174000"), Map.entry("guid", "123e4567-e89b-42d3-a456-426614174000"),
            Map.entry("date-time", "2024-01-15T12:00:00Z"), Map.entry("date", "2024-01-15"),
            Map.entry("time", "12:00:00Z"), Map.entry("duration", "P1D"),
            Map.entry("uri", "https://example.com/"), Map.entry("url", "https://example.com/"),
            Map.entry("iri", "https://example.com/"), Map.entry("uri-reference", "https://example.com/"),
            Map.entry("iri-reference", "https://example.com/"), Map.entry("uri-template", "https://example.com/{id}"),
            Map.entry("hostname", "example.com"), Map.entry("idn-hostname", "example.com"),
            Map.entry("ipv4", "192.0.2.1"), Map.entry("ipv6", "2001:db8::1"),
            Map.entry("json-pointer", "/example"), Map.entry("relative-json-pointer", "0/example"),
            Map.entry("regex", "^example$"), Map.entry("cuid", "cjld2cjxh0000qzrmn831i7rn"),
            Map.entry("cuid2", "tz4a98xxat96iws9zmbrgj3a"), Map.entry("nanoid", "V1StGXR8_Z5jdHi6B-myT"),
            Map.entry("ulid", "01ARZ3NDEKTSV4RRFFQ69G5FAV"), Map.entry("emoji", "\uD83D\uDE00"),
            Map.entry("base64", "ZXhhbXBsZQ=="), Map.entry("base64url", "ZXhhbXBsZQ"),
            Map.entry("byte", "ZXhhbXBsZQ=="), Map.entry("binary", "example"));
    /** Tried in order against a {@code pattern} without a known format. */
    private static final List<String> STOCK_STRINGS = List.of("example", "12345", "12:00", "abc", "ABC", "x", "0", "1",
                                                              "a1", "A1", "abc123", "example-1", "example_1", "ab",
                                                              "00:00:00", "2024-01-15", "+1 555 0100", "#ffffff");

    private final JsonObject root;

    private FakeSchemaInstances(JsonObject root) {
        this.root = root;
    }

    /**
     * One instance of a schema.
     *
     * @param schema a JSON Schema: an object, or {@code true}
     * @return an instance valid against it within the rules above
     */
    public static JsonValue of(JsonValue schema) {
        JsonObject root = schema instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        return new FakeSchemaInstances(root).generate(schema, 0);
    }

    private JsonValue generate(JsonValue value, int depth) {
        if (depth > MAX_NESTING) {
            throw new IllegalArgumentException("no finite instance found: the schema nests deeper than " + MAX_NESTING);
        }
        if (!(value instanceof JsonObject object)) {
            return JSON.createValue("example"); // true, or anything that is not a schema object
        }
        JsonObject schema = withDescribedConstraints(object);
        if (schema.get("$ref") instanceof JsonString ref) {
            JsonObjectBuilder siblings = JSON.createObjectBuilder(schema).remove("$ref");
            return generate(merge(resolve(ref.getString()), siblings.build()), depth + 1);
        }
        if (schema.containsKey("const")) {
            return schema.get("const");
        }
        if (schema.get("enum") instanceof JsonArray values && !values.isEmpty()) {
            return values.getFirst();
        }
        if (schema.get("allOf") instanceof JsonArray all) {
            JsonObject merged = JSON.createObjectBuilder(schema).remove("allOf").build();
            for (JsonValue branch : all) {
                merged = merge(merged, dereferenced(branch));
            }
            return generate(merged, depth);
        }
        for (String union : List.of("anyOf", "oneOf")) {
            if (schema.get(union) instanceof JsonArray branches && !branches.isEmpty()) {
                // deep down, null ends a recursion; elsewhere a value says more
                boolean deep = depth >= MAX_DEPTH;
                JsonValue branch = branches.stream().filter(b -> isNull(dereferenced(b)) == deep).findFirst()
                        .orElse(branches.getFirst());
                return generate(merge(JSON.createObjectBuilder(schema).remove(union).build(), dereferenced(branch)), depth);
            }
        }
        return switch (type(schema)) {
            case "null" -> JsonValue.NULL;
            case "boolean" -> JsonValue.TRUE;
            case "object" -> depth >= MAX_DEPTH && nullable(schema) ? JsonValue.NULL : object(schema, depth);
            case "array" -> array(schema, depth);
            case "integer" -> number(schema, true);
            case "number" -> number(schema, false);
            default -> string(schema);
        };
    }

    private JsonValue object(JsonObject schema, int depth) {
        JsonObject properties = schema.get("properties") instanceof JsonObject p ? p : JsonValue.EMPTY_JSON_OBJECT;
        Set<String> required = new LinkedHashSet<>(strings(schema.get("required")));
        JsonObjectBuilder out = JSON.createObjectBuilder();
        int count = 0;
        for (Map.Entry<String, JsonValue> property : properties.entrySet()) {
            if (depth < MAX_DEPTH || required.contains(property.getKey())) {
                out.add(property.getKey(), generate(property.getValue(), depth + 1));
                count++;
            }
        }
        JsonValue additional = schema.getOrDefault("additionalProperties", JsonValue.TRUE);
        for (String name : required) {
            if (!properties.containsKey(name)) {
                out.add(name, generate(additional, depth + 1));
                count++;
            }
        }
        int minProperties = schema.get("minProperties") instanceof JsonNumber n ? n.intValue() : 0;
        for (int i = 1; count < minProperties && additional != JsonValue.FALSE; i++, count++) {
            out.add("key" + i, generate(additional, depth + 1));
        }
        return out.build();
    }

    private JsonValue array(JsonObject schema, int depth) {
        List<JsonValue> tuple = new ArrayList<>();
        JsonValue rest = schema.getOrDefault("items", JsonValue.TRUE);
        if (schema.get("prefixItems") instanceof JsonArray prefix) {
            tuple.addAll(prefix);
        } else if (rest instanceof JsonArray items) {
            tuple.addAll(items); // draft-07 tuple
            rest = schema.getOrDefault("additionalItems", JsonValue.TRUE);
        }
        int minItems = schema.get("minItems") instanceof JsonNumber n ? n.intValue() : 0;
        int maxItems = schema.get("maxItems") instanceof JsonNumber n ? n.intValue() : Integer.MAX_VALUE;
        int count = Math.min(maxItems, Math.max(minItems, Math.max(tuple.size(), depth < MAX_DEPTH ? 1 : 0)));
        if (rest == JsonValue.FALSE) {
            count = Math.min(count, tuple.size());
        }
        var out = JSON.createArrayBuilder();
        for (int i = 0; i < count; i++) {
            out.add(generate(i < tuple.size() ? tuple.get(i) : rest, depth + 1));
        }
        return out.build();
    }

    private static JsonValue string(JsonObject schema) {
        int minLength = schema.get("minLength") instanceof JsonNumber n ? n.intValue() : 0;
        int maxLength = schema.get("maxLength") instanceof JsonNumber n ? n.intValue() : Integer.MAX_VALUE;
        String formatted = schema.get("format") instanceof JsonString format ? FORMATS.get(format.getString()) : null;
        Pattern pattern = schema.get("pattern") instanceof JsonString regex ? compiled(regex.getString()) : null;
        if (pattern == null && schema.containsKey("pattern") && formatted != null) {
            return JSON.createValue(formatted); // a pattern Java cannot read: trust the format's value
        }
        List<String> candidates = new ArrayList<>();
        if (formatted != null) {
            candidates.add(formatted);
        }
        if (pattern != null || formatted == null) {
            candidates.add(fitted("example", minLength, maxLength));
            candidates.addAll(FORMATS.values().stream().sorted().toList());
            candidates.addAll(STOCK_STRINGS);
        }
        for (String candidate : candidates) {
            int length = candidate.codePointCount(0, candidate.length());
            if (length >= minLength && length <= maxLength && (pattern == null || pattern.matcher(candidate).find())) {
                return JSON.createValue(candidate);
            }
        }
        return JSON.createValue(candidates.getFirst());
    }

    private static String fitted(String text, int minLength, int maxLength) {
        String padded = text.length() >= minLength ? text : text + "x".repeat(minLength - text.length());
        return padded.length() <= maxLength ? padded : padded.substring(0, maxLength);
    }

    private static JsonValue number(JsonObject schema, boolean integer) {
        BigDecimal low = decimal(schema.get("minimum"));
        BigDecimal high = decimal(schema.get("maximum"));
        boolean lowExclusive = schema.get("exclusiveMinimum") == JsonValue.TRUE; // draft 4
        boolean highExclusive = schema.get("exclusiveMaximum") == JsonValue.TRUE;
        BigDecimal exclusiveLow = decimal(schema.get("exclusiveMinimum"));
        if (exclusiveLow != null && (low == null || exclusiveLow.compareTo(low) >= 0)) {
            low = exclusiveLow;
            lowExclusive = true;
        }
        BigDecimal exclusiveHigh = decimal(schema.get("exclusiveMaximum"));
        if (exclusiveHigh != null && (high == null || exclusiveHigh.compareTo(high) <= 0)) {
            high = exclusiveHigh;
            highExclusive = true;
        }
        BigDecimal step = decimal(schema.get("multipleOf"));
        if (step == null && integer) {
            step = BigDecimal.ONE;
        }
        BigDecimal target = BigDecimal.ONE;
        if (low != null && high != null && high.subtract(low).compareTo(BigDecimal.valueOf(1000)) <= 0) {
            target = low.add(high).divide(BigDecimal.TWO);
        } else if (low != null && target.compareTo(low) <= 0) {
            target = low.add(BigDecimal.ONE);
        } else if (high != null && target.compareTo(high) >= 0) {
            target = high.subtract(BigDecimal.ONE);
        }
        Range range = new Range(low, lowExclusive, high, highExclusive);
        BigDecimal value = target;
        if (step != null) {
            BigDecimal nearest = target.divide(step, 0, RoundingMode.HALF_UP).multiply(step);
            value = List.of(nearest, nearest.add(step), nearest.subtract(step)).stream().filter(range::contains)
                    .findFirst().orElse(nearest);
        }
        BigDecimal plain = value.stripTrailingZeros();
        return plain.scale() <= 0 ? JSON.createValue(plain.toBigInteger()) : JSON.createValue(plain);
    }

    private record Range(BigDecimal low, boolean lowExclusive, BigDecimal high, boolean highExclusive) {
        boolean contains(BigDecimal value) {
            return (low == null || value.compareTo(low) > 0 || !lowExclusive && value.compareTo(low) == 0)
                    && (high == null || value.compareTo(high) < 0 || !highExclusive && value.compareTo(high) == 0);
        }
    }

    private static String type(JsonObject schema) {
        JsonValue type = schema.get("type");
        if (type instanceof JsonString name) {
            return name.getString();
        }
        if (type instanceof JsonArray names && !names.isEmpty()) {
            return strings(names).stream().filter(name -> !name.equals("null")).findFirst().orElse("null");
        }
        if (schema.containsKey("properties") || schema.containsKey("required") || schema.containsKey("additionalProperties")) {
            return "object";
        }
        if (schema.containsKey("items") || schema.containsKey("prefixItems")) {
            return "array";
        }
        if (schema.containsKey("minimum") || schema.containsKey("maximum") || schema.containsKey("multipleOf")) {
            return "number";
        }
        return "string";
    }

    private static boolean nullable(JsonObject schema) {
        return schema.get("type") instanceof JsonArray names && strings(names).contains("null");
    }

    private static boolean isNull(JsonObject schema) {
        return schema.get("type") instanceof JsonString type && type.getString().equals("null")
                || schema.containsKey("const") && schema.get("const") == JsonValue.NULL;
    }

    /** {@return the schema with the JSON object that ends its description merged in as keywords} */
    private static JsonObject withDescribedConstraints(JsonObject schema) {
        if (!(schema.get("description") instanceof JsonString description)) {
            return schema;
        }
        String text = description.getString().strip();
        int start = text.lastIndexOf("\n\n");
        String tail = start < 0 ? text : text.substring(start + 2);
        if (!tail.startsWith("{") || !tail.endsWith("}") || !(Jsons.parseObject(tail) instanceof JsonObject constraints)) {
            return schema;
        }
        JsonObjectBuilder out = JSON.createObjectBuilder(schema);
        constraints.forEach((keyword, value) -> {
            if (!schema.containsKey(keyword)) {
                out.add(keyword, value);
            }
        });
        return out.build();
    }

    private JsonObject dereferenced(JsonValue branch) {
        if (branch instanceof JsonObject object && object.get("$ref") instanceof JsonString ref) {
            return merge(resolve(ref.getString()), JSON.createObjectBuilder(object).remove("$ref").build());
        }
        return branch instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
    }

    /** {@return base with extra's keywords: properties and required united, the rest added where base has none} */
    private static JsonObject merge(JsonObject base, JsonObject extra) {
        JsonObjectBuilder out = JSON.createObjectBuilder(base);
        extra.forEach((keyword, value) -> {
            if (keyword.equals("properties") && base.get("properties") instanceof JsonObject own
                    && value instanceof JsonObject more) {
                JsonObjectBuilder properties = JSON.createObjectBuilder(own);
                more.forEach((name, schema) -> {
                    if (!own.containsKey(name)) {
                        properties.add(name, schema);
                    } else if (own.get(name) instanceof JsonObject a && schema instanceof JsonObject b) {
                        properties.add(name, merge(a, b));
                    }
                });
                out.add(keyword, properties);
            } else if (keyword.equals("required") && base.containsKey("required")) {
                Set<String> names = new LinkedHashSet<>(strings(base.get("required")));
                names.addAll(strings(value));
                out.add(keyword, JSON.createArrayBuilder(List.copyOf(names)));
            } else if (!base.containsKey(keyword)) {
                out.add(keyword, value);
            }
        });
        return out.build();
    }

    private JsonObject resolve(String ref) {
        if (ref.equals("#")) {
            return root;
        }
        if (!ref.startsWith("#/")) {
            return JsonValue.EMPTY_JSON_OBJECT; // anchors and remote references: anything goes
        }
        JsonValue at = root;
        for (String token : ref.substring(2).split("/", -1)) {
            String name = URLDecoder.decode(token, StandardCharsets.UTF_8).replace("~1", "/").replace("~0", "~");
            if (at instanceof JsonObject object && object.containsKey(name)) {
                at = object.get(name);
            } else if (at instanceof JsonArray array && name.matches("\\d{1,6}") && Integer.parseInt(name) < array.size()) {
                at = array.get(Integer.parseInt(name));
            } else {
                return JsonValue.EMPTY_JSON_OBJECT;
            }
        }
        return at instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
    }

    private static List<String> strings(JsonValue value) {
        return value instanceof JsonArray array
                ? array.stream().filter(JsonString.class::isInstance).map(v -> ((JsonString) v).getString()).toList()
                : List.of();
    }

    private static BigDecimal decimal(JsonValue value) {
        return value instanceof JsonNumber number ? number.bigDecimalValue() : null;
    }

    private static Pattern compiled(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }
}
