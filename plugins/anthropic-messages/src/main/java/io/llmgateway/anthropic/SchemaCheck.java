package io.llmgateway.anthropic;

import java.util.Map;
import java.util.Set;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Checks a {@code json_schema.schema} before it goes upstream, so that a schema the Anthropic API cannot
 * take is the client's 400 naming {@code response_format.json_schema.schema} (with the place inside the
 * schema in the message) rather than an upstream rejection: the root must be an object schema (Anthropic
 * answers only objects, as tool input or as JSON output), every keyword must have the shape JSON Schema
 * draft 2020-12 gives it (the draft Anthropic validates against), and every {@code $ref} must point into
 * the schema itself (Anthropic resolves no external references).
 */
final class SchemaCheck {

    static final String PARAM = "response_format.json_schema.schema";

    private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties",
                                                          "dependentSchemas");
    private static final Set<String> SUBSCHEMAS = Set.of("items", "additionalProperties", "not", "if", "then", "else",
                                                         "contains", "propertyNames", "unevaluatedProperties",
                                                         "unevaluatedItems");
    private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "allOf", "oneOf", "prefixItems");
    private static final Set<String> COUNTS = Set.of("minLength", "maxLength", "minItems", "maxItems", "minProperties",
                                                     "maxProperties", "minContains", "maxContains");
    private static final Set<String> NUMBERS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                                      "multipleOf");
    private static final Set<String> TEXTS = Set.of("description", "title", "format", "pattern", "$comment", "$id",
                                                    "$schema", "$anchor");

    private SchemaCheck() {
    }

    /**
     * Checks a schema.
     *
     * @param schema the {@code json_schema.schema} value
     * @return it, as an object
     * @throws GatewayException 400 naming {@value #PARAM}
     */
    static JsonObject checked(JsonValue schema) {
        if (!(schema instanceof JsonObject root)) {
            throw invalid("it must be a JSON object");
        }
        if (!(root.get("type") instanceof JsonString type) || !type.getString().equals("object")) {
            throw invalid("it must have \"type\": \"object\" at its root: the Anthropic API answers structured output"
                                  + " only as a JSON object (wrap another value in an object property)");
        }
        check(root, root, "");
        return root;
    }

    private static void check(JsonValue schema, JsonObject root, String at) {
        if (schema == JsonValue.TRUE || schema == JsonValue.FALSE) {
            return;
        }
        if (!(schema instanceof JsonObject object)) {
            throw invalid(where(at) + "a schema must be an object or a boolean");
        }
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String keyword = entry.getKey();
            JsonValue value = entry.getValue();
            String path = at.isEmpty() ? keyword : at + "." + keyword;
            if (keyword.equals("type")) {
                checkType(value, path);
            } else if (SCHEMA_MAPS.contains(keyword)) {
                if (!(value instanceof JsonObject map)) {
                    throw invalid(where(path) + "must be an object of schemas");
                }
                map.forEach((name, sub) -> check(sub, root, path + "." + name));
            } else if (SUBSCHEMAS.contains(keyword)) {
                if (keyword.equals("items") && value instanceof JsonArray) {
                    throw invalid(where(path) + "must be one schema; a list of item schemas is 'prefixItems' in"
                                          + " JSON Schema 2020-12");
                }
                check(value, root, path);
            } else if (SCHEMA_LISTS.contains(keyword)) {
                if (!(value instanceof JsonArray list) || list.isEmpty()) {
                    throw invalid(where(path) + "must be a non-empty array of schemas");
                }
                for (int i = 0; i < list.size(); i++) {
                    check(list.get(i), root, path + "[" + i + "]");
                }
            } else if (keyword.equals("required")) {
                if (!(value instanceof JsonArray names) || !names.stream().allMatch(JsonString.class::isInstance)) {
                    throw invalid(where(path) + "must be an array of property names");
                }
            } else if (keyword.equals("enum")) {
                if (!(value instanceof JsonArray values) || values.isEmpty()) {
                    throw invalid(where(path) + "must be a non-empty array");
                }
            } else if (keyword.equals("$ref")) {
                checkRef(value, root, path);
            } else if (COUNTS.contains(keyword)) {
                if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.longValue() < 0) {
                    throw invalid(where(path) + "must be a non-negative integer");
                }
            } else if (NUMBERS.contains(keyword)) {
                if (!(value instanceof JsonNumber)) {
                    throw invalid(where(path) + "must be a number");
                }
            } else if (TEXTS.contains(keyword) && !(value instanceof JsonString)) {
                throw invalid(where(path) + "must be a string");
            }
            // other keywords (const, default, examples, annotations) take any value
        }
    }

    private static void checkType(JsonValue value, String path) {
        if (value instanceof JsonString type && TYPES.contains(type.getString())) {
            return;
        }
        if (value instanceof JsonArray types && !types.isEmpty()
                && types.stream().allMatch(t -> t instanceof JsonString s && TYPES.contains(s.getString()))) {
            return;
        }
        throw invalid(where(path) + "must be one of object, array, string, number, integer, boolean, null"
                              + " (or an array of them)");
    }

    private static void checkRef(JsonValue value, JsonObject root, String path) {
        if (!(value instanceof JsonString ref)) {
            throw invalid(where(path) + "must be a string");
        }
        String pointer = ref.getString();
        if (!pointer.startsWith("#")) {
            throw invalid(where(path) + "'" + pointer + "' is not a reference into this schema (#/$defs/...); the"
                                  + " Anthropic API resolves no external references");
        }
        if (SchemaRefs.resolve(root, pointer).isEmpty()) {
            throw invalid(where(path) + "'" + pointer + "' points at nothing in this schema");
        }
    }

    private static String where(String path) {
        return "at " + path + ": ";
    }

    static GatewayException invalid(String why) {
        return GatewayException.invalidRequest("The response_format JSON schema cannot be used: " + why, PARAM);
    }
}
