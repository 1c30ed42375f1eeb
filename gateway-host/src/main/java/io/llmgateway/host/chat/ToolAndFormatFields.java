package io.llmgateway.host.chat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Checks the shape of {@code tools}, {@code tool_choice}, {@code parallel_tool_calls} and
 * {@code response_format} as OpenAI does, so every backend gets them well formed; the schemas inside are
 * the backends' to judge. An empty {@code tools} array counts as no tools, as several clients send one.
 */
final class ToolAndFormatFields {

    /** OpenAI's rule for function and schema names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private ToolAndFormatFields() {
    }

    static void check(JsonObject body) {
        Set<String> names = tools(body);
        toolChoice(body, names);
        JsonValue parallel = body.get("parallel_tool_calls");
        if (!isAbsent(parallel) && parallel != JsonValue.TRUE && parallel != JsonValue.FALSE) {
            throw wrongType("parallel_tool_calls", "a boolean", parallel);
        }
        responseFormat(body);
    }

    private static Set<String> tools(JsonObject body) {
        JsonValue value = body.get("tools");
        if (isAbsent(value)) {
            return Set.of();
        }
        if (!(value instanceof JsonArray tools)) {
            throw wrongType("tools", "an array", value);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonObject tool = object(tools.get(i), path);
            String type = string(tool, "type", path + ".type");
            if (!type.equals("function")) {
                throw GatewayException.invalidRequest("Invalid value for '" + path + ".type': '" + type
                                                              + "'. Supported values are: 'function'.", path + ".type");
            }
            JsonObject function = object(required(tool, "function", path + ".function"), path + ".function");
            String name = name(function, path + ".function.name");
            if (!names.add(name)) {
                throw GatewayException.invalidRequest("'" + path + ".function.name': the name '" + name
                                                              + "' is used by an earlier tool; tool names must be unique",
                                                      path + ".function.name");
            }
            optional(function, "description", path + ".function.description", JsonString.class, "a string");
            optional(function, "parameters", path + ".function.parameters", JsonObject.class, "an object (a JSON schema)");
            optionalBoolean(function, "strict", path + ".function.strict");
        }
        return names;
    }

    private static void toolChoice(JsonObject body, Set<String> names) {
        JsonValue choice = body.get("tool_choice");
        if (isAbsent(choice)) {
            return;
        }
        if (choice instanceof JsonString mode) {
            switch (mode.getString()) {
                case "none", "auto" -> {
                }
                case "required" -> {
                    if (names.isEmpty()) {
                        throw GatewayException.invalidRequest("'tool_choice' is 'required' but the request has no 'tools'",
                                                              "tool_choice");
                    }
                }
                default -> throw GatewayException.invalidRequest(
                        "Invalid value for 'tool_choice': '" + mode.getString()
                                + "'. Supported values are: 'none', 'auto', 'required' or a named function.", "tool_choice");
            }
            return;
        }
        JsonObject named = object(choice, "tool_choice");
        String type = string(named, "type", "tool_choice.type");
        if (!type.equals("function")) {
            throw GatewayException.invalidRequest("Invalid value for 'tool_choice.type': '" + type
                                                          + "'. Supported values are: 'function'.", "tool_choice.type");
        }
        JsonObject function = object(required(named, "function", "tool_choice.function"), "tool_choice.function");
        String name = string(function, "name", "tool_choice.function.name");
        if (!names.contains(name)) {
            throw GatewayException.invalidRequest("'tool_choice' names the function '" + name
                                                          + "', which is not one of the request's 'tools'",
                                                  "tool_choice.function.name");
        }
    }

    private static void responseFormat(JsonObject body) {
        JsonValue value = body.get("response_format");
        if (isAbsent(value)) {
            return;
        }
        JsonObject format = object(value, "response_format");
        String type = string(format, "type", "response_format.type");
        switch (type) {
            case "text", "json_object" -> {
            }
            case "json_schema" -> {
                JsonObject schema = object(required(format, "json_schema", "response_format.json_schema"),
                                           "response_format.json_schema");
                name(schema, "response_format.json_schema.name");
                optional(schema, "description", "response_format.json_schema.description", JsonString.class, "a string");
                optional(schema, "schema", "response_format.json_schema.schema", JsonObject.class, "an object (a JSON schema)");
                optionalBoolean(schema, "strict", "response_format.json_schema.strict");
            }
            default -> throw GatewayException.invalidRequest(
                    "Invalid value for 'response_format.type': '" + type
                            + "'. Supported values are: 'text', 'json_object' and 'json_schema'.", "response_format.type");
        }
    }

    private static String name(JsonObject object, String field) {
        String name = string(object, "name", field);
        if (!NAME.matcher(name).matches()) {
            throw GatewayException.invalidRequest("Invalid '" + field + "': '" + name + "' must be 1 to 64 letters, digits,"
                                                          + " underscores or dashes", field);
        }
        return name;
    }

    private static String string(JsonObject object, String key, String field) {
        JsonValue value = required(object, key, field);
        if (!(value instanceof JsonString string)) {
            throw wrongType(field, "a string", value);
        }
        return string.getString();
    }

    private static void optional(JsonObject object, String key, String field, Class<? extends JsonValue> type,
                                 String expected) {
        JsonValue value = object.get(key);
        if (!isAbsent(value) && !type.isInstance(value)) {
            throw wrongType(field, expected, value);
        }
    }

    private static void optionalBoolean(JsonObject object, String key, String field) {
        JsonValue value = object.get(key);
        if (!isAbsent(value) && value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw wrongType(field, "a boolean", value);
        }
    }

    private static JsonValue required(JsonObject object, String key, String field) {
        JsonValue value = object.get(key);
        if (isAbsent(value)) {
            throw GatewayException.invalidRequest("Missing required parameter: '" + field + "'.", field);
        }
        return value;
    }

    private static JsonObject object(JsonValue value, String field) {
        if (!(value instanceof JsonObject object)) {
            throw wrongType(field, "an object", value);
        }
        return object;
    }

    private static boolean isAbsent(JsonValue value) {
        return value == null || value.getValueType() == JsonValue.ValueType.NULL;
    }

    private static GatewayException wrongType(String field, String expected, JsonValue actual) {
        return GatewayException.invalidRequest("Invalid type for '" + field + "': expected " + expected + ", but got "
                                                       + ChatRequestParser.describe(actual) + " instead.", field);
    }
}
