package io.llmgateway.anthropic;

import java.util.Map;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Rewrites the keywords whose shape changed before JSON Schema 2020-12 (the draft Anthropic validates
 * against) into their 2020-12 form with the same meaning, so that a schema clients still generate in an
 * older draft is not refused: a tuple {@code "items": [...]} with {@code additionalItems} (draft-07, what
 * the Vercel AI SDK sends for a zod tuple) becomes {@code prefixItems} and {@code items}, and draft 4's
 * boolean {@code exclusiveMinimum}/{@code exclusiveMaximum} become the numeric bounds. Only schema
 * positions are walked, so a {@code const}, {@code enum} or {@code default} value is never touched.
 */
final class OlderDrafts {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties",
                                                          "dependentSchemas");
    private static final Set<String> SUBSCHEMAS = Set.of("additionalProperties", "not", "if", "then", "else",
                                                         "contains", "propertyNames", "unevaluatedProperties",
                                                         "unevaluatedItems");
    private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "allOf", "oneOf", "prefixItems");

    private OlderDrafts() {
    }

    /**
     * The schema in 2020-12 form.
     *
     * @param schema a schema of any draft, or any other value (returned as it is, for the check to refuse)
     * @return the schema with its older keyword shapes rewritten
     */
    static JsonValue upgraded(JsonValue schema) {
        if (!(schema instanceof JsonObject object)) {
            return schema;
        }
        JsonObjectBuilder out = JSON.createObjectBuilder();
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String keyword = entry.getKey();
            JsonValue value = entry.getValue();
            if (SCHEMA_MAPS.contains(keyword) && value instanceof JsonObject map) {
                JsonObjectBuilder upgraded = JSON.createObjectBuilder();
                map.forEach((name, sub) -> upgraded.add(name, upgraded(sub)));
                out.add(keyword, upgraded);
            } else if (SCHEMA_LISTS.contains(keyword) && value instanceof JsonArray list) {
                out.add(keyword, upgradedList(list));
            } else if (SUBSCHEMAS.contains(keyword)) {
                out.add(keyword, upgraded(value));
            } else if (keyword.equals("items")) {
                if (value instanceof JsonArray tuple && !object.containsKey("prefixItems")) {
                    out.add("prefixItems", upgradedList(tuple));
                    if (object.containsKey("additionalItems")) {
                        out.add("items", upgraded(object.get("additionalItems")));
                    }
                } else {
                    out.add(keyword, upgraded(value));
                }
            } else if (keyword.equals("additionalItems")) {
                continue; // the tuple's rest, written as items above; without a tuple it means nothing in any draft
            } else if (keyword.equals("exclusiveMinimum") || keyword.equals("exclusiveMaximum")) {
                String bound = keyword.equals("exclusiveMinimum") ? "minimum" : "maximum";
                if (value == JsonValue.TRUE && object.get(bound) instanceof JsonNumber limit) {
                    out.add(keyword, limit);
                } else if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
                    out.add(keyword, value);
                }
            } else if ((keyword.equals("minimum") && object.get("exclusiveMinimum") == JsonValue.TRUE)
                    || (keyword.equals("maximum") && object.get("exclusiveMaximum") == JsonValue.TRUE)) {
                continue; // draft 4: the bound is exclusive, written as exclusiveMinimum/exclusiveMaximum above
            } else {
                out.add(keyword, value);
            }
        }
        return out.build();
    }

    private static JsonArrayBuilder upgradedList(JsonArray list) {
        JsonArrayBuilder out = JSON.createArrayBuilder();
        list.forEach(sub -> out.add(upgraded(sub)));
        return out;
    }
}
