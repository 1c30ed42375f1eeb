package io.llmgateway.backend.mock;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Turns a schema into one without {@code $ref} and {@code allOf} at its top: a reference is replaced by its
 * target (with the referring schema's other keywords applied on top), and the parts of an {@code allOf} are
 * merged into one schema whose instances satisfy every part (types and enums intersect, bounds tighten,
 * properties and requirements add up, {@code anyOf}s distribute).
 */
final class SchemaMerger {

    /** Patterns beyond the first of merged schemas, checked but not generated from. */
    static final String MORE_PATTERNS = "$mockPatterns";
    /** How many references may be followed in a row without reaching a schema: a loop. */
    private static final int MAX_REF_CHAIN = 32;
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "$defs", "definitions", "title",
                                                          "description", "default", "examples", "readOnly", "writeOnly",
                                                          "deprecated", "$anchor");
    private static final JsonProvider JSON = JsonProvider.provider();

    private final SchemaRefs refs;

    SchemaMerger(SchemaRefs refs) {
        this.refs = refs;
    }

    /**
     * The schema with its top-level {@code $ref} and {@code allOf} resolved.
     *
     * @param node a schema
     * @return an equivalent schema object, in place of the original for errors where nothing was merged
     * @throws GatewayException 400 when the parts contradict each other or a reference is broken
     */
    SchemaNode flatten(SchemaNode node) {
        return flatten(node, 0);
    }

    private SchemaNode flatten(SchemaNode node, int chain) {
        JsonObject schema = asObject(node);
        if (schema.get("$ref") instanceof JsonValue refValue) {
            if (!(refValue instanceof JsonString ref)) {
                throw GatewayException.invalidRequest("'" + node.at("$ref") + "' must be a string", node.at("$ref"));
            }
            if (chain > MAX_REF_CHAIN) {
                throw GatewayException.invalidRequest("'" + node.at("$ref") + "': the references form a loop", node.at("$ref"));
            }
            SchemaNode target = flatten(refs.resolve(ref.getString(), node.at("$ref")), chain + 1);
            Map<String, JsonValue> rest = new LinkedHashMap<>(schema);
            rest.remove("$ref");
            rest.keySet().removeAll(ANNOTATIONS);
            if (rest.isEmpty()) {
                return target;
            }
            schema = merge(asObject(target), asObject(flatten(new SchemaNode(object(rest), node.param()), chain + 1)),
                           node.param());
            node = new SchemaNode(schema, node.param());
        }
        if (schema.get("allOf") instanceof JsonValue allOfValue) {
            if (!(allOfValue instanceof JsonArray parts) || parts.isEmpty()) {
                throw GatewayException.invalidRequest("'" + node.at("allOf") + "' must be a non-empty array of schemas",
                                                      node.at("allOf"));
            }
            Map<String, JsonValue> rest = new LinkedHashMap<>(schema);
            rest.remove("allOf");
            JsonObject merged = object(rest);
            for (int i = 0; i < parts.size(); i++) {
                SchemaNode part = new SchemaNode(parts.get(i), node.at("allOf[" + i + "]"));
                if (part.schema() == JsonValue.TRUE) {
                    continue;
                }
                merged = merge(merged, asObject(flatten(part, chain + 1)), part.param());
            }
            return new SchemaNode(merged, node.param());
        }
        return node;
    }

    /** The object form of a schema: {@code true} is {@code {}}; {@code false} admits nothing. */
    static JsonObject asObject(SchemaNode node) {
        return switch (node.schema()) {
            case JsonObject object -> object;
            case JsonValue value when value == JsonValue.TRUE -> JsonValue.EMPTY_JSON_OBJECT;
            case JsonValue value when value == JsonValue.FALSE -> throw GatewayException.invalidRequest(
                    "'" + node.param() + "' is the schema false, which no value satisfies", node.param());
            default -> throw GatewayException.invalidRequest("'" + node.param() + "' must be a JSON schema (an object or a"
                                                                     + " boolean)", node.param());
        };
    }

    private static JsonObject merge(JsonObject a, JsonObject b, String param) {
        Map<String, JsonValue> merged = new LinkedHashMap<>(a);
        List<JsonValue> patterns = new ArrayList<>();
        for (Map.Entry<String, JsonValue> entry : b.entrySet()) {
            String key = entry.getKey();
            JsonValue other = entry.getValue();
            JsonValue mine = merged.get(key);
            if (mine == null) {
                merged.put(key, other);
            } else if (!mine.equals(other)) {
                merged.put(key, switch (key) {
                    case "type" -> types(mine, other, param);
                    case "properties" -> mine instanceof JsonObject left && other instanceof JsonObject right
                            ? properties(left, right) : mine;
                    case "required" -> union(mine, other);
                    case "enum" -> intersection(mine, other, param);
                    case "const" -> throw GatewayException.invalidRequest(
                            "'" + param + "': the parts of allOf require different constants", param);
                    case "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains" ->
                            bound(mine, other, true);
                    case "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains" ->
                            bound(mine, other, false);
                    case "multipleOf" -> multiple(mine, other);
                    case "items", "additionalProperties", "additionalItems", "contains", "propertyNames", "not" ->
                            allOf(mine, other);
                    case "anyOf", "oneOf" -> mine instanceof JsonArray branches
                            ? distribute(branches, JSON.createObjectBuilder().add(key, other).build()) : mine;
                    case "pattern" -> {
                        patterns.add(other);
                        yield mine;
                    }
                    default -> mine;
                });
            }
        }
        if (merged.get("anyOf") instanceof JsonArray anyOf && merged.containsKey("oneOf")) {
            JsonValue oneOf = merged.remove("oneOf");
            merged.put("anyOf", distribute(anyOf, JSON.createObjectBuilder().add("oneOf", oneOf).build()));
        }
        closeProperties(merged, a, b, param);
        closeProperties(merged, b, a, param);
        if (!patterns.isEmpty()) {
            if (merged.get(MORE_PATTERNS) instanceof JsonArray earlier) {
                patterns.addAll(earlier);
            }
            merged.put(MORE_PATTERNS, JSON.createArrayBuilder(patterns).build());
        }
        return object(merged);
    }

    /** A part with additionalProperties false admits none of the other part's extra properties. */
    private static void closeProperties(Map<String, JsonValue> merged, JsonObject closed, JsonObject other, String param) {
        if (closed.get("additionalProperties") != JsonValue.FALSE || closed.containsKey("patternProperties")) {
            return;
        }
        merged.put("additionalProperties", JsonValue.FALSE);
        Set<String> allowed = closed.get("properties") instanceof JsonObject properties ? properties.keySet() : Set.of();
        if (merged.get("properties") instanceof JsonObject properties) {
            Map<String, JsonValue> kept = new LinkedHashMap<>(properties);
            kept.keySet().retainAll(allowed);
            merged.put("properties", object(kept));
        }
        if (merged.get("required") instanceof JsonArray required) {
            for (JsonValue name : required) {
                if (name instanceof JsonString string && !allowed.contains(string.getString())) {
                    throw GatewayException.invalidRequest("'" + param + "': allOf requires the property '" + string.getString()
                                                                  + "', which another part forbids (additionalProperties"
                                                                  + " false)", param);
                }
            }
        }
    }

    private static JsonValue types(JsonValue a, JsonValue b, String param) {
        Set<String> left = typeNames(a);
        Set<String> right = typeNames(b);
        Set<String> both = new LinkedHashSet<>();
        for (String type : left) {
            if (right.contains(type)) {
                both.add(type);
            } else if (type.equals("number") && right.contains("integer") || type.equals("integer") && right.contains("number")) {
                both.add("integer");
            }
        }
        if (both.isEmpty()) {
            throw GatewayException.invalidRequest("'" + param + "': the parts of allOf allow no common type", param);
        }
        return both.size() == 1 ? JSON.createValue(both.iterator().next()) : JSON.createArrayBuilder(both).build();
    }

    static Set<String> typeNames(JsonValue type) {
        Set<String> names = new LinkedHashSet<>();
        if (type instanceof JsonString name) {
            names.add(name.getString());
        } else if (type instanceof JsonArray array) {
            array.forEach(item -> {
                if (item instanceof JsonString name) {
                    names.add(name.getString());
                }
            });
        }
        return names;
    }

    private static JsonValue properties(JsonObject a, JsonObject b) {
        Map<String, JsonValue> merged = new LinkedHashMap<>(a);
        b.forEach((name, schema) -> merged.merge(name, schema, SchemaMerger::allOf));
        return object(merged);
    }

    private static JsonValue allOf(JsonValue a, JsonValue b) {
        return a.equals(b) ? a : JSON.createObjectBuilder().add("allOf", JSON.createArrayBuilder().add(a).add(b)).build();
    }

    private static JsonValue union(JsonValue a, JsonValue b) {
        Set<JsonValue> all = new LinkedHashSet<>();
        if (a instanceof JsonArray left) {
            all.addAll(left);
        }
        if (b instanceof JsonArray right) {
            all.addAll(right);
        }
        return JSON.createArrayBuilder(all).build();
    }

    private static JsonValue intersection(JsonValue a, JsonValue b, String param) {
        if (!(a instanceof JsonArray left) || !(b instanceof JsonArray right)) {
            return a;
        }
        List<JsonValue> both = left.stream().filter(right::contains).toList();
        if (both.isEmpty()) {
            throw GatewayException.invalidRequest("'" + param + "': the parts of allOf allow no common enum value", param);
        }
        return JSON.createArrayBuilder(both).build();
    }

    private static JsonValue bound(JsonValue a, JsonValue b, boolean lower) {
        if (!(a instanceof JsonNumber left) || !(b instanceof JsonNumber right)) {
            return a; // draft-04 boolean exclusive bounds: the first part's reading stands
        }
        int order = left.bigDecimalValue().compareTo(right.bigDecimalValue());
        return lower == order >= 0 ? a : b;
    }

    private static JsonValue multiple(JsonValue a, JsonValue b) {
        if (!(a instanceof JsonNumber left) || !(b instanceof JsonNumber right)) {
            return a;
        }
        BigDecimal x = left.bigDecimalValue();
        BigDecimal y = right.bigDecimalValue();
        int scale = Math.max(Math.max(x.scale(), y.scale()), 0);
        BigInteger i = x.movePointRight(scale).toBigInteger();
        BigInteger j = y.movePointRight(scale).toBigInteger();
        if (i.signum() <= 0 || j.signum() <= 0) {
            return a;
        }
        BigInteger lcm = i.divide(i.gcd(j)).multiply(j);
        return JSON.createValue(new BigDecimal(lcm).movePointLeft(scale).stripTrailingZeros());
    }

    /** (A1 | A2) & (B) = (A1 & B) | (A2 & B): keeps one anyOf at the top. */
    private static JsonValue distribute(JsonArray branches, JsonObject other) {
        var distributed = JSON.createArrayBuilder();
        for (JsonValue branch : branches) {
            distributed.add(JSON.createObjectBuilder().add("allOf", JSON.createArrayBuilder().add(branch).add(other)));
        }
        return distributed.build();
    }

    private static JsonObject object(Map<String, JsonValue> members) {
        var builder = JSON.createObjectBuilder();
        members.forEach(builder::add);
        return builder.build();
    }
}
