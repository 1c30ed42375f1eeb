package io.llmgateway.backend.mock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Generates a value valid against a JSON schema, deterministically from a seed: the mock's tool-call
 * arguments and structured-output documents. Follows {@code type} (also as a list, and OpenAPI's
 * {@code nullable}), {@code enum}/{@code const}, objects ({@code properties}, {@code required},
 * {@code additionalProperties}, {@code min/maxProperties}, {@code dependentRequired}), arrays ({@code items},
 * {@code prefixItems}, {@code min/maxItems}, {@code uniqueItems}, {@code contains}), numbers and strings (see
 * {@link NumberInstances}, {@link StringInstances}), {@code anyOf}/{@code oneOf}/{@code allOf} and local
 * {@code $ref}s (recursive ones too). Optional properties are filled in down to a depth of three, and
 * below it arrays get their fewest items and unions their simplest branch, so recursive schemas end.
 * {@code not}, {@code if}/{@code then}/{@code else} and {@code dependentSchemas} are not followed (best
 * effort). What it cannot satisfy is a 400 naming the schema keyword.
 */
final class SchemaInstances {

    /** Instance depth from which optional parts are left out. */
    private static final int SHALLOW = 3;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_NESTING = 256;
    /** Values tried in all, branches that fail included: bounds the work a hostile schema can cause. */
    private static final int BUDGET = 20_000;
    private static final int UNIQUE_TRIES = 8;
    private static final Set<String> TYPES = Set.of("null", "boolean", "object", "array", "number", "integer", "string");
    private static final Set<String> OBJECT_WORDS = Set.of("properties", "required", "additionalProperties",
                                                           "patternProperties", "minProperties", "maxProperties");
    private static final Set<String> ARRAY_WORDS = Set.of("items", "prefixItems", "minItems", "maxItems", "contains",
                                                          "uniqueItems");
    private static final Set<String> STRING_WORDS = Set.of("minLength", "maxLength", "pattern", "format");
    private static final Set<String> NUMBER_WORDS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                                           "multipleOf");
    private static final JsonProvider JSON = JsonProvider.provider();

    private final SchemaMerger merger;
    private final Words words;
    private int budget = BUDGET;
    /** Calls on the stack: unions that lead back to themselves nest without deepening the instance. */
    private int nesting;

    private SchemaInstances(SchemaMerger merger, Words words) {
        this.merger = merger;
        this.words = words;
    }

    /**
     * A value valid against the schema.
     *
     * @param schema the schema document
     * @param param  where it is in the request, named by errors
     * @param seed   what the choices derive from
     * @param words  what strings are made of
     * @return the value
     * @throws GatewayException 400 naming the keyword the mock cannot satisfy or read
     */
    static JsonValue generate(JsonValue schema, String param, Seed seed, Words words) {
        return new SchemaInstances(new SchemaMerger(new SchemaRefs(schema, param)), words)
                .value(new SchemaNode(schema, param), seed, 0);
    }

    private JsonValue value(SchemaNode node, Seed seed, int depth) {
        if (++nesting > MAX_NESTING) {
            throw tooDeep(node);
        }
        try {
            return unnested(node, seed, depth);
        } finally {
            nesting--;
        }
    }

    private static GatewayException tooDeep(SchemaNode node) {
        return GatewayException.invalidRequest("'" + node.param() + "': the schema nests deeper or branches more than"
                                                       + " the mock backend follows (a recursion without an end?)",
                                               node.param());
    }

    private JsonValue unnested(SchemaNode node, Seed seed, int depth) {
        if (depth > MAX_DEPTH || --budget < 0) {
            throw tooDeep(node);
        }
        SchemaNode flat = merger.flatten(node);
        JsonObject schema = SchemaMerger.asObject(flat);
        for (String union : List.of("anyOf", "oneOf")) {
            if (schema.containsKey(union)) {
                return branch(flat, schema, union, seed, depth);
            }
        }
        if (schema.containsKey("const")) {
            return schema.get("const");
        }
        Set<String> types = types(flat, schema);
        if (schema.containsKey("enum")) {
            return choice(flat, schema.get("enum"), types, seed);
        }
        String type = types.contains("null") && (depth >= SHALLOW || types.size() == 1) ? "null"
                : types.stream().filter(name -> !name.equals("null")).findFirst().orElse("null");
        return switch (type) {
            case "null" -> JsonValue.NULL;
            case "boolean" -> seed.pick(2) == 0 ? JsonValue.TRUE : JsonValue.FALSE;
            case "integer" -> NumberInstances.generate(schema, true, flat.param(), seed);
            case "number" -> NumberInstances.generate(schema, false, flat.param(), seed);
            case "string" -> StringInstances.generate(schema, flat.param(), seed, words);
            case "array" -> array(flat, schema, seed, depth);
            case "object" -> object(flat, schema, seed, depth);
            default -> throw new IllegalStateException(type);
        };
    }

    private JsonValue branch(SchemaNode node, JsonObject schema, String union, Seed seed, int depth) {
        if (!(schema.get(union) instanceof JsonArray branches) || branches.isEmpty()) {
            throw GatewayException.invalidRequest("'" + node.at(union) + "' must be a non-empty array of schemas",
                                                  node.at(union));
        }
        Map<String, JsonValue> rest = new LinkedHashMap<>(schema);
        rest.remove(union);
        boolean constrained = rest.keySet().stream().anyMatch(key -> !key.equals("$defs") && !key.equals("definitions")
                && !key.equals("description") && !key.equals("title") && !key.equals("$schema"));
        List<Integer> order = branchOrder(branches, seed, depth);
        GatewayException first = null;
        for (int i : order) {
            SchemaNode candidate = new SchemaNode(branches.get(i), node.at(union + "[" + i + "]"));
            if (constrained) {
                var restObject = JSON.createObjectBuilder();
                rest.forEach(restObject::add);
                candidate = new SchemaNode(JSON.createObjectBuilder()
                                                   .add("allOf", JSON.createArrayBuilder().add(restObject).add(branches.get(i)))
                                                   .build(), candidate.param());
            }
            try {
                return value(candidate, seed.derive(union), depth);
            } catch (GatewayException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /** Shallow: non-null branches first, from one the seed picks; deep: the shortest (most likely to end) first. */
    private static List<Integer> branchOrder(JsonArray branches, Seed seed, int depth) {
        List<Integer> order = new ArrayList<>();
        int start = seed.pick(branches.size());
        for (int i = 0; i < branches.size(); i++) {
            order.add((start + i) % branches.size());
        }
        if (depth >= SHALLOW) {
            order.sort(Comparator.comparingInt(i -> branches.get(i).toString().length()));
        } else {
            order.sort(Comparator.comparing(i -> isNull(branches.get(i))));
        }
        return order;
    }

    private static boolean isNull(JsonValue branch) {
        return branch instanceof JsonObject object && object.get("type") instanceof JsonString type
                && type.getString().equals("null");
    }

    private static JsonValue choice(SchemaNode node, JsonValue enumValue, Set<String> types, Seed seed) {
        if (!(enumValue instanceof JsonArray values) || values.isEmpty()) {
            throw GatewayException.invalidRequest("'" + node.at("enum") + "' must be a non-empty array", node.at("enum"));
        }
        List<JsonValue> allowed = values.stream().filter(value -> types.isEmpty() || types.contains(typeOf(value))
                || typeOf(value).equals("integer") && types.contains("number")).toList();
        if (allowed.isEmpty()) {
            throw GatewayException.invalidRequest("'" + node.at("enum") + "' has no value of the type " + types,
                                                  node.at("enum"));
        }
        return allowed.get(seed.pick(allowed.size()));
    }

    private static String typeOf(JsonValue value) {
        return switch (value.getValueType()) {
            case NULL -> "null";
            case TRUE, FALSE -> "boolean";
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> ((JsonNumber) value).isIntegral() ? "integer" : "number";
        };
    }

    /** The declared types, or those the keywords imply; empty when anything goes (then a string). */
    private static Set<String> types(SchemaNode node, JsonObject schema) {
        Set<String> types = new LinkedHashSet<>();
        JsonValue type = schema.get("type");
        if (type != null) {
            if (!(type instanceof JsonString) && !(type instanceof JsonArray)) {
                throw GatewayException.invalidRequest("'" + node.at("type") + "' must be a type name or an array of them",
                                                      node.at("type"));
            }
            types = SchemaMerger.typeNames(type);
            for (String name : types) {
                if (!TYPES.contains(name)) {
                    throw GatewayException.invalidRequest("Invalid '" + node.at("type") + "': '" + name + "' is not a JSON"
                                                                  + " Schema type (null, boolean, object, array, number,"
                                                                  + " integer, string)", node.at("type"));
                }
            }
            if (types.isEmpty()) {
                throw GatewayException.invalidRequest("'" + node.at("type") + "' must name at least one type", node.at("type"));
            }
        } else if (schema.keySet().stream().anyMatch(OBJECT_WORDS::contains)) {
            types.add("object");
        } else if (schema.keySet().stream().anyMatch(ARRAY_WORDS::contains)) {
            types.add("array");
        } else if (schema.keySet().stream().anyMatch(NUMBER_WORDS::contains)) {
            types.add("number");
        } else if (schema.keySet().stream().anyMatch(STRING_WORDS::contains) || !schema.containsKey("enum")) {
            types.add("string");
        }
        if (schema.get("nullable") == JsonValue.TRUE) {
            types.add("null");
        }
        return types;
    }

    private JsonValue object(SchemaNode node, JsonObject schema, Seed seed, int depth) {
        JsonObject properties = member(node, schema, "properties", JsonObject.class, "an object of schemas")
                .orElse(JsonValue.EMPTY_JSON_OBJECT);
        Set<String> required = names(node, schema, "required");
        JsonValue additional = schema.getOrDefault("additionalProperties", JsonValue.TRUE);
        int min = count(node, schema, "minProperties").orElse(0);
        int max = count(node, schema, "maxProperties").orElse(Integer.MAX_VALUE);
        if (required.size() > max) {
            throw GatewayException.invalidRequest("'" + node.param() + "' requires " + required.size()
                                                          + " properties but allows at most " + max, node.at("maxProperties"));
        }
        Map<String, JsonValue> result = new LinkedHashMap<>();
        for (String name : properties.keySet()) {
            boolean needed = required.contains(name);
            if (!needed && (depth >= SHALLOW || result.size() + missing(required, result) >= max)) {
                continue;
            }
            property(node, schema, name, needed, seed, depth, result);
        }
        for (String name : required) {
            property(node, schema, name, true, seed, depth, result);
        }
        for (String name : List.copyOf(result.keySet())) {
            for (String dependent : dependents(schema, name)) {
                property(node, schema, dependent, true, seed, depth, result);
            }
        }
        for (String name : properties.keySet()) {
            if (result.size() >= min) {
                break;
            }
            property(node, schema, name, false, seed, depth, result);
        }
        for (int extra = 1; result.size() < min && additional != JsonValue.FALSE && extra <= min; extra++) {
            property(node, schema, "property" + extra, true, seed, depth, result);
        }
        if (result.size() < min) {
            throw GatewayException.invalidRequest("'" + node.param() + "' needs " + min + " properties but declares fewer"
                                                          + " and allows no others", node.at("minProperties"));
        }
        if (result.size() > max) {
            throw GatewayException.invalidRequest("'" + node.param() + "': its required and dependent properties exceed"
                                                          + " maxProperties " + max, node.at("maxProperties"));
        }
        var object = JSON.createObjectBuilder();
        result.forEach(object::add);
        return object.build();
    }

    private static int missing(Set<String> required, Map<String, JsonValue> result) {
        return (int) required.stream().filter(name -> !result.containsKey(name)).count();
    }

    /** Adds one property (if not there yet); an optional one that cannot be generated is left out. */
    private void property(SchemaNode node, JsonObject schema, String name, boolean needed, Seed seed, int depth,
                          Map<String, JsonValue> result) {
        if (result.containsKey(name)) {
            return;
        }
        SchemaNode propertySchema = propertySchema(node, schema, name);
        try {
            result.put(name, value(propertySchema, seed.derive("/" + name), depth + 1));
        } catch (GatewayException e) {
            if (needed) {
                throw e;
            }
        }
    }

    private static SchemaNode propertySchema(SchemaNode node, JsonObject schema, String name) {
        if (schema.get("properties") instanceof JsonObject properties && properties.containsKey(name)) {
            return new SchemaNode(properties.get(name), node.at("properties." + name));
        }
        if (schema.get("patternProperties") instanceof JsonObject patterns) {
            for (Map.Entry<String, JsonValue> entry : patterns.entrySet()) {
                try {
                    if (Pattern.compile(entry.getKey()).matcher(name).find()) {
                        return new SchemaNode(entry.getValue(), node.at("patternProperties." + entry.getKey()));
                    }
                } catch (PatternSyntaxException e) {
                    throw GatewayException.invalidRequest("'" + node.at("patternProperties") + "': '" + entry.getKey()
                                                                  + "' is not a valid regular expression",
                                                          node.at("patternProperties"));
                }
            }
        }
        JsonValue additional = schema.getOrDefault("additionalProperties", JsonValue.TRUE);
        if (additional == JsonValue.FALSE) {
            throw GatewayException.invalidRequest("'" + node.param() + "' requires the property '" + name + "', which it"
                                                          + " does not declare while additionalProperties is false",
                                                  node.at("required"));
        }
        return new SchemaNode(additional, node.at("additionalProperties"));
    }

    private static Set<String> dependents(JsonObject schema, String name) {
        Set<String> dependents = new LinkedHashSet<>();
        for (String keyword : List.of("dependentRequired", "dependencies")) {
            if (schema.get(keyword) instanceof JsonObject all && all.get(name) instanceof JsonArray names) {
                names.forEach(value -> {
                    if (value instanceof JsonString string) {
                        dependents.add(string.getString());
                    }
                });
            }
        }
        return dependents;
    }

    private JsonValue array(SchemaNode node, JsonObject schema, Seed seed, int depth) {
        List<SchemaNode> prefix = new ArrayList<>();
        SchemaNode rest;
        if (schema.get("prefixItems") instanceof JsonArray tuple) {
            for (int i = 0; i < tuple.size(); i++) {
                prefix.add(new SchemaNode(tuple.get(i), node.at("prefixItems[" + i + "]")));
            }
            rest = new SchemaNode(schema.getOrDefault("items", JsonValue.TRUE), node.at("items"));
        } else if (schema.get("items") instanceof JsonArray tuple) {
            for (int i = 0; i < tuple.size(); i++) {
                prefix.add(new SchemaNode(tuple.get(i), node.at("items[" + i + "]")));
            }
            rest = new SchemaNode(schema.getOrDefault("additionalItems", JsonValue.TRUE), node.at("additionalItems"));
        } else {
            rest = new SchemaNode(schema.getOrDefault("items", JsonValue.TRUE), node.at("items"));
        }
        int min = count(node, schema, "minItems").orElse(0);
        int max = count(node, schema, "maxItems").orElse(Integer.MAX_VALUE);
        if (rest.schema() == JsonValue.FALSE) {
            max = Math.min(max, prefix.size());
        }
        JsonValue contains = schema.get("contains");
        int minContains = contains == null ? 0 : count(node, schema, "minContains").orElse(1);
        int wanted = depth >= SHALLOW ? 0 : prefix.isEmpty() ? 1 + seed.derive("count").pick(2) : prefix.size();
        int size = Math.max(Math.max(wanted, min), minContains);
        size = Math.min(size, max);
        if (size < min || size < minContains) {
            throw GatewayException.invalidRequest("'" + node.param() + "' needs at least " + Math.max(min, minContains)
                                                          + " items but allows at most " + max, node.at("minItems"));
        }
        boolean unique = schema.get("uniqueItems") == JsonValue.TRUE;
        List<JsonValue> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            SchemaNode itemSchema = i < prefix.size() ? prefix.get(i) : rest;
            if (i < minContains) {
                itemSchema = new SchemaNode(JSON.createObjectBuilder().add("allOf", JSON.createArrayBuilder()
                        .add(itemSchema.schema()).add(contains)).build(), node.at("contains"));
            }
            JsonValue item = value(itemSchema, seed.derive("/" + i), depth + 1);
            for (int attempt = 1; unique && items.contains(item) && attempt <= UNIQUE_TRIES; attempt++) {
                item = value(itemSchema, seed.derive("/" + i + "#" + attempt), depth + 1);
            }
            if (unique && items.contains(item)) {
                if (items.size() >= min && items.size() >= minContains) {
                    break;
                }
                throw GatewayException.invalidRequest("'" + node.param() + "': the mock backend finds no " + min
                                                              + " different items for uniqueItems", node.at("uniqueItems"));
            }
            items.add(item);
        }
        return JSON.createArrayBuilder(items).build();
    }

    private static <T extends JsonValue> Optional<T> member(SchemaNode node, JsonObject schema, String keyword,
                                                                       Class<T> type, String expected) {
        JsonValue value = schema.get(keyword);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            throw GatewayException.invalidRequest("'" + node.at(keyword) + "' must be " + expected, node.at(keyword));
        }
        return Optional.of(type.cast(value));
    }

    private static Set<String> names(SchemaNode node, JsonObject schema, String keyword) {
        Set<String> names = new LinkedHashSet<>();
        member(node, schema, keyword, JsonArray.class, "an array of property names").ifPresent(array -> {
            for (JsonValue value : array) {
                if (!(value instanceof JsonString name)) {
                    throw GatewayException.invalidRequest("'" + node.at(keyword) + "' must be an array of property names",
                                                          node.at(keyword));
                }
                names.add(name.getString());
            }
        });
        return names;
    }

    private static OptionalInt count(SchemaNode node, JsonObject schema, String keyword) {
        JsonValue value = schema.get(keyword);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.longValue() < 0
                || number.longValue() > Integer.MAX_VALUE) {
            throw GatewayException.invalidRequest("'" + node.at(keyword) + "' must be a non-negative integer", node.at(keyword));
        }
        return OptionalInt.of(number.intValue());
    }
}
