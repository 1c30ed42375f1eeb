package io.llmgateway.anthropic;

import java.util.Optional;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static java.util.Objects.requireNonNull;

/**
 * A request's OpenAI {@code response_format}, read and checked: plain text, any JSON object
 * ({@code json_object}), or a document valid against a schema ({@code json_schema}), in JSON Schema 2020-12
 * form ({@link OlderDrafts}). A malformed format, or a schema the Anthropic API cannot take
 * ({@link SchemaCheck}), is a 400 naming the param.
 */
public sealed interface ResponseFormat {

    /** Text, the default. */
    record Text() implements ResponseFormat {
    }

    /** Any JSON object ({@code json_object}, or a {@code json_schema} without a schema). */
    record AnyObject() implements ResponseFormat {
    }

    /**
     * A JSON document valid against a schema.
     *
     * @param name        {@code json_schema.name}, {@code response} when the client gave none
     * @param description {@code json_schema.description}, if given
     * @param schema      {@code json_schema.schema}: an object schema at its root, checked
     * @param strict      {@code json_schema.strict}
     */
    record Schema(String name, Optional<String> description, JsonObject schema, boolean strict)
            implements ResponseFormat {
        /** Validates. */
        public Schema {
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            requireNonNull(schema, "schema is null");
        }
    }

    /**
     * Reads a request's {@code response_format}.
     *
     * @param body the request body
     * @return the format; {@link Text} when there is none
     * @throws GatewayException 400 naming the param at fault
     */
    static ResponseFormat of(JsonObject body) {
        JsonValue value = body.get("response_format");
        if (value == null || value == JsonValue.NULL) {
            return new Text();
        }
        if (!(value instanceof JsonObject format)) {
            throw GatewayException.invalidRequest("'response_format' must be an object such as {\"type\":\"json_object\"}",
                                                  "response_format");
        }
        String type = format.get("type") instanceof JsonString string ? string.getString() : "";
        return switch (type) {
            case "text" -> new Text();
            case "json_object" -> new AnyObject();
            case "json_schema" -> schema(format);
            default -> throw GatewayException.invalidRequest(
                    "'response_format.type' must be text, json_object or json_schema", "response_format.type");
        };
    }

    private static ResponseFormat schema(JsonObject format) {
        if (!(format.get("json_schema") instanceof JsonObject jsonSchema)) {
            throw GatewayException.invalidRequest("A json_schema response_format needs 'json_schema': {\"name\":...,"
                                                          + "\"schema\":{...}}", "response_format.json_schema");
        }
        String name = text(jsonSchema, "name").orElse("response");
        Optional<String> description = text(jsonSchema, "description");
        JsonValue strict = jsonSchema.get("strict");
        if (strict != null && strict != JsonValue.NULL && strict != JsonValue.TRUE && strict != JsonValue.FALSE) {
            throw GatewayException.invalidRequest("'strict' must be true or false", "response_format.json_schema.strict");
        }
        JsonValue schema = jsonSchema.get("schema");
        if (schema == null || schema == JsonValue.NULL) {
            return new AnyObject();
        }
        return new Schema(name, description, SchemaCheck.checked(OlderDrafts.upgraded(schema)), strict == JsonValue.TRUE);
    }

    private static Optional<String> text(JsonObject jsonSchema, String field) {
        JsonValue value = jsonSchema.get(field);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (!(value instanceof JsonString string)) {
            throw GatewayException.invalidRequest("'" + field + "' must be a string", "response_format.json_schema." + field);
        }
        return Optional.of(string.getString());
    }
}
