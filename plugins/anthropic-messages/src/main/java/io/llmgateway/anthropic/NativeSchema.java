package io.llmgateway.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * A checked schema as Anthropic's native structured outputs ({@code output_config.format}) take it, the
 * way Anthropic's own SDKs transform one: every object gets {@code "additionalProperties": false}
 * (required there), {@code oneOf} becomes {@code anyOf}, and constraints constrained decoding does not
 * enforce ({@code minimum}, {@code maxLength}, {@code minItems} above 1, unsupported {@code format}s and
 * {@code pattern}s, ...) move into the schema's {@code description}, where the model still reads them.
 * A schema outside what the native feature can express has no native form: an object that allows other
 * properties, recursion through {@code $ref}, {@code not}/{@code if}/{@code patternProperties}/
 * {@code prefixItems} and the like, enums of non-primitive values, or more than the documented 24
 * optional properties or 16 union-typed properties. Such a schema goes to the model as a forced tool's
 * input schema instead, which takes any JSON Schema.
 */
final class NativeSchema {

    static final int MAX_OPTIONAL_PROPERTIES = 24;
    static final int MAX_UNION_PROPERTIES = 16;

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Set<String> KEPT = Set.of("type", "description", "title", "enum", "const", "default",
                                                   "required", "$ref");
    private static final Set<String> DROPPED = Set.of("$schema", "$id", "$comment", "examples");
    private static final Set<String> INEXPRESSIBLE = Set.of("not", "if", "then", "else", "patternProperties",
                                                            "prefixItems", "contains", "propertyNames",
                                                            "unevaluatedProperties", "unevaluatedItems",
                                                            "dependentSchemas", "dependentRequired", "$anchor",
                                                            "$dynamicRef", "$dynamicAnchor", "additionalItems");
    private static final Set<String> FORMATS = Set.of("date-time", "time", "date", "duration", "email", "hostname",
                                                      "uri", "ipv4", "ipv6", "uuid");
    private static final List<String> UNSUPPORTED_REGEX = List.of("(?=", "(?!", "(?<=", "(?<!", "\\b", "\\B", "\\1",
                                                                  "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9",
                                                                  "\\k<");

    private final List<String> optionalProperties = new ArrayList<>();
    private int unionProperties;

    private NativeSchema() {
    }

    /**
     * The native form of a checked schema.
     *
     * @param schema a schema that passed {@link SchemaCheck}
     * @return the schema for {@code output_config.format.schema}, or empty when only a forced tool can carry it
     */
    static Optional<JsonObject> of(JsonObject schema) {
        if (SchemaRefs.recursive(schema)) {
            return Optional.empty();
        }
        NativeSchema transform = new NativeSchema();
        Optional<JsonValue> converted = transform.convert(schema);
        if (converted.isEmpty() || transform.optionalProperties.size() > MAX_OPTIONAL_PROPERTIES
                || transform.unionProperties > MAX_UNION_PROPERTIES) {
            return Optional.empty();
        }
        return converted.map(JsonValue::asJsonObject);
    }

    private Optional<JsonValue> convert(JsonValue schema) {
        if (schema == JsonValue.TRUE || schema == JsonValue.FALSE) {
            return Optional.empty(); // "anything" and "nothing" have no constrained form
        }
        JsonObject object = schema.asJsonObject();
        JsonObjectBuilder out = JSON.createObjectBuilder();
        JsonObjectBuilder moved = JSON.createObjectBuilder();
        boolean movedAny = false;
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String keyword = entry.getKey();
            JsonValue value = entry.getValue();
            if (INEXPRESSIBLE.contains(keyword)) {
                return Optional.empty();
            }
            if (DROPPED.contains(keyword)) {
                continue;
            }
            switch (keyword) {
                case "properties", "$defs", "definitions" -> {
                    JsonObjectBuilder map = JSON.createObjectBuilder();
                    for (Map.Entry<String, JsonValue> property : value.asJsonObject().entrySet()) {
                        Optional<JsonValue> converted = convert(property.getValue());
                        if (converted.isEmpty()) {
                            return Optional.empty();
                        }
                        map.add(property.getKey(), converted.get());
                    }
                    out.add(keyword, map);
                }
                case "items" -> {
                    Optional<JsonValue> items = convert(value);
                    if (items.isEmpty()) {
                        return Optional.empty();
                    }
                    out.add(keyword, items.get());
                }
                case "anyOf", "oneOf", "allOf" -> {
                    JsonArrayBuilder list = JSON.createArrayBuilder();
                    for (JsonValue option : value.asJsonArray()) {
                        Optional<JsonValue> converted = convert(option);
                        if (converted.isEmpty()) {
                            return Optional.empty();
                        }
                        list.add(converted.get());
                    }
                    out.add(keyword.equals("allOf") ? "allOf" : "anyOf", list);
                }
                case "additionalProperties" -> {
                    if (value != JsonValue.FALSE) {
                        return Optional.empty(); // an open object: only a tool's input schema can say so
                    }
                }
                case "enum" -> {
                    if (!value.asJsonArray().stream().allMatch(NativeSchema::isPrimitive)) {
                        return Optional.empty();
                    }
                    out.add(keyword, value);
                }
                case "format" -> {
                    if (FORMATS.contains(((JsonString) value).getString())) {
                        out.add(keyword, value);
                    } else {
                        moved.add(keyword, value);
                        movedAny = true;
                    }
                }
                case "pattern" -> {
                    String regex = ((JsonString) value).getString();
                    if (UNSUPPORTED_REGEX.stream().noneMatch(regex::contains)) {
                        out.add(keyword, value);
                    } else {
                        moved.add(keyword, value);
                        movedAny = true;
                    }
                }
                case "minItems" -> {
                    if (((JsonNumber) value).longValue() <= 1) {
                        out.add(keyword, value);
                    } else {
                        moved.add(keyword, value);
                        movedAny = true;
                    }
                }
                default -> {
                    if (KEPT.contains(keyword)) {
                        out.add(keyword, value);
                    } else {
                        moved.add(keyword, value); // minimum, maxLength, uniqueItems, ... and unknown keywords
                        movedAny = true;
                    }
                }
            }
        }
        if (isObject(object)) {
            if (!(object.get("properties") instanceof JsonObject) && object.get("additionalProperties") != JsonValue.FALSE) {
                return Optional.empty(); // a free-form object: closing it would allow only {}
            }
            out.add("additionalProperties", false);
            countProperties(object);
        }
        if (movedAny) {
            String constraints = moved.build().toString();
            String description = object.get("description") instanceof JsonString text ? text.getString() + "\n\n" : "";
            out.add("description", description + constraints);
        }
        return Optional.of(out.build());
    }

    private void countProperties(JsonObject object) {
        if (!(object.get("properties") instanceof JsonObject properties)) {
            return;
        }
        Set<String> required = object.get("required") instanceof JsonArray names
                ? Set.copyOf(names.getValuesAs(JsonString::getString)) : Set.of();
        for (Map.Entry<String, JsonValue> property : properties.entrySet()) {
            if (!required.contains(property.getKey())) {
                optionalProperties.add(property.getKey());
            }
            if (property.getValue() instanceof JsonObject schema
                    && (schema.containsKey("anyOf") || schema.containsKey("oneOf") || schema.get("type") instanceof JsonArray)) {
                unionProperties++;
            }
        }
    }

    private static boolean isObject(JsonObject schema) {
        JsonValue type = schema.get("type");
        return type instanceof JsonString name && name.getString().equals("object")
                || type instanceof JsonArray names && names.contains(JSON.createValue("object"))
                || type == null && schema.containsKey("properties");
    }

    private static boolean isPrimitive(JsonValue value) {
        return !(value instanceof JsonObject) && !(value instanceof JsonArray);
    }
}
