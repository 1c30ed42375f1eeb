package io.llmgateway.backend.cli;

import java.util.Optional;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A request's {@code response_format} as the schema for the CLI's {@code --json-schema}: {@code json_schema}
 * gives its {@code schema}, {@code json_object} the schema of any object, {@code text} (or none) no schema.
 * The CLI lists the schema to the model as the input of a {@code StructuredOutput} tool, checks the model's
 * input against it and ends the turn with the input as {@code structured_output}, so the root must be an
 * object schema, as Anthropic's tool input schemas must. Its {@code $schema} is dropped: the CLI (2.1.328)
 * validates with draft-07 and refuses a schema that names 2019-09 or 2020-12. Whether the rest is valid JSON
 * Schema the CLI itself decides when a session starts with it (it exits at once when it is not).
 */
final class ResponseSchema {

    /** The schema of {@code json_object}: any JSON object. */
    static final JsonObject ANY_OBJECT = CliProcess.JSON.createObjectBuilder().add("type", "object").build();
    /** Longest schema passed on the command line (Linux limits one argument to 128 KiB). */
    static final int MAX_LENGTH = 100_000;

    private ResponseSchema() {
    }

    /**
     * The schema the answer must match.
     *
     * @param body the request body
     * @return the schema as JSON text, or empty when the answer is free text
     * @throws GatewayException 400 naming the param for a format that is not text, json_object or a valid json_schema
     */
    static Optional<String> of(JsonObject body) {
        JsonValue value = body.get("response_format");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (!(value instanceof JsonObject format) || !(format.get("type") instanceof JsonString type)) {
            throw GatewayException.invalidRequest("'response_format' must be an object with a 'type'", "response_format");
        }
        return switch (type.getString()) {
            case "text" -> Optional.empty();
            case "json_object" -> Optional.of(ANY_OBJECT.toString());
            case "json_schema" -> Optional.of(schemaOf(format));
            default -> throw GatewayException.invalidRequest("'response_format.type' must be text, json_object or"
                                                                     + " json_schema", "response_format.type");
        };
    }

    /** Whether any subschema is a tuple: {@code prefixItems}, or {@code items} given as a list. */
    static boolean hasTuple(JsonValue schema) {
        return switch (schema) {
            case JsonObject object -> object.containsKey("prefixItems")
                    || object.get("items") instanceof JsonArray
                    || object.values().stream().anyMatch(ResponseSchema::hasTuple);
            case JsonArray array -> array.stream().anyMatch(ResponseSchema::hasTuple);
            default -> false;
        };
    }

    private static String schemaOf(JsonObject format) {
        if (!(format.get("json_schema") instanceof JsonObject jsonSchema)) {
            throw GatewayException.invalidRequest("'response_format.json_schema' must be an object with 'name' and"
                                                          + " 'schema'", "response_format.json_schema");
        }
        if (!(jsonSchema.get("name") instanceof JsonString name) || name.getString().isEmpty()) {
            throw GatewayException.invalidRequest("'response_format.json_schema.name' is required",
                                                  "response_format.json_schema.name");
        }
        if (!(jsonSchema.get("schema") instanceof JsonObject schema)) {
            throw GatewayException.invalidRequest("'response_format.json_schema.schema' must be a JSON schema object",
                                                  "response_format.json_schema.schema");
        }
        if (!(schema.get("type") instanceof JsonString root) || !root.getString().equals("object")) {
            throw GatewayException.invalidRequest("The cli backend needs a schema whose root is of type 'object'",
                                                  "response_format.json_schema.schema");
        }
        if (hasTuple(schema)) {
            // claude 2.1.328 takes no form of it: 'prefixItems' is unknown to its strict draft-07 check, and the
            // draft-07 list form of 'items' is refused by Anthropic in StructuredOutput's input schema
            throw GatewayException.invalidRequest("The cli backend cannot answer with a tuple (an array with"
                                                          + " 'prefixItems' or a list of 'items'); use an object or"
                                                          + " an array of one item schema",
                                                  "response_format.json_schema.schema");
        }
        // the CLI's validator knows draft-07 only and refuses any other $schema (2020-12: LangChain, zod 4)
        String text = CliProcess.JSON.createObjectBuilder(schema).remove("$schema").build().toString();
        if (text.length() > MAX_LENGTH) {
            throw GatewayException.invalidRequest("The cli backend accepts schemas of up to " + MAX_LENGTH
                                                          + " characters", "response_format.json_schema.schema");
        }
        return text;
    }
}
