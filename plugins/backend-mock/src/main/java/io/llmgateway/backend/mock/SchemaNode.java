package io.llmgateway.backend.mock;

import jakarta.json.JsonValue;

import static java.util.Objects.requireNonNull;

/**
 * A schema and where it sits in the request, for errors that name the param.
 *
 * @param schema the schema (an object or a boolean)
 * @param param  its place, such as {@code tools[0].function.parameters.properties.city}
 */
record SchemaNode(JsonValue schema, String param) {

    /**
     * Validates.
     */
    SchemaNode {
        requireNonNull(schema, "schema is null");
        requireNonNull(param, "param is null");
    }

    /**
     * The place of a keyword of this schema.
     *
     * @param keyword such as {@code items} or {@code anyOf[1]}
     * @return the longer place
     */
    String at(String keyword) {
        return param + "." + keyword;
    }
}
