package io.llmgateway.host.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Validates an OpenAI chat completion request the way OpenAI does and turns it into a
 * {@link ChatRequest}. Every rejection is a 400 naming the field ({@code messages[2].content[0].type}).
 * An explicit {@code null} counts as absent for optional fields, as in OpenAI's API.
 */
final class ChatRequestParser {

    private static final int MAX_STOP_SEQUENCES = 4;
    private static final int MAX_METADATA_PAIRS = 16;
    private static final int MAX_METADATA_KEY = 64;
    private static final int MAX_METADATA_VALUE = 512;

    private ChatRequestParser() {
    }

    static ChatRequest parse(JsonObject body) {
        String model = requiredString(body, "model", "model");
        if (model.isBlank()) {
            throw GatewayException.invalidRequest("'model' must not be empty", "model");
        }
        JsonArray messagesJson = requiredArray(body, "messages");
        if (messagesJson.isEmpty()) {
            throw GatewayException.invalidRequest("'messages' must contain at least one message", "messages");
        }
        List<ChatMessage> messages = new ArrayList<>(messagesJson.size());
        for (int i = 0; i < messagesJson.size(); i++) {
            messages.add(message(messagesJson.get(i), "messages[" + i + "]"));
        }

        boolean stream = optionalBoolean(body, "stream").orElse(false);
        boolean includeUsage = streamOptions(body, stream);
        checkN(body);
        ToolAndFormatFields.check(body);

        return new ChatRequest(model,
                               messages,
                               maxTokens(body),
                               number(body, "temperature", 0, 2),
                               number(body, "top_p", 0, 1),
                               stop(body),
                               stream,
                               includeUsage,
                               optionalString(body, "user"),
                               seed(body),
                               metadata(body),
                               body);
    }

    private static ChatMessage message(JsonValue value, String path) {
        JsonObject message = asObject(value, path);
        String roleName = requiredString(message, "role", path + ".role");
        Role role = Role.fromWireName(roleName).orElseThrow(() -> GatewayException.invalidRequest(
                "Invalid value for '" + path + ".role': '" + roleName + "'. Supported values are: 'system', "
                        + "'developer', 'user', 'assistant' and 'tool'.", path + ".role"));

        List<ToolCall> toolCalls = role == Role.ASSISTANT ? toolCalls(message, path) : List.of();
        List<ContentPart> content = content(message, role, !toolCalls.isEmpty(), path);
        Optional<String> toolCallId = optionalString(message, "tool_call_id", path + ".tool_call_id");
        if (role == Role.TOOL && toolCallId.isEmpty()) {
            throw missing(path + ".tool_call_id");
        }
        return new ChatMessage(role, content, optionalString(message, "name", path + ".name"), toolCalls, toolCallId);
    }

    private static List<ContentPart> content(JsonObject message, Role role, boolean hasToolCalls, String path) {
        String field = path + ".content";
        JsonValue content = message.get("content");
        if (content == null || content.getValueType() == JsonValue.ValueType.NULL) {
            if (role == Role.ASSISTANT && hasToolCalls) {
                return List.of();
            }
            throw missing(field);
        }
        if (content instanceof JsonString text) {
            return List.of(new ContentPart.Text(text.getString()));
        }
        if (!(content instanceof JsonArray parts)) {
            throw wrongType(field, "a string or an array of content parts", content);
        }
        if (parts.isEmpty()) {
            throw GatewayException.invalidRequest("'" + field + "' must not be an empty array", field);
        }
        List<ContentPart> result = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            result.add(contentPart(parts.get(i), role, field + "[" + i + "]"));
        }
        return result;
    }

    private static ContentPart contentPart(JsonValue value, Role role, String path) {
        JsonObject part = asObject(value, path);
        String type = requiredString(part, "type", path + ".type");
        switch (type) {
            case "text":
                return new ContentPart.Text(requiredString(part, "text", path + ".text"));
            case "image_url":
                if (role != Role.USER) {
                    throw GatewayException.invalidRequest("Image content parts are only allowed in user messages, not in "
                                                                  + role.wireName() + " messages", path + ".type");
                }
                return image(part, path);
            default:
                throw GatewayException.invalidRequest("Invalid value for '" + path + ".type': '" + type
                                                              + "'. Supported values are: 'text' and 'image_url'.",
                                                      path + ".type");
        }
    }

    private static ContentPart image(JsonObject part, String path) {
        String field = path + ".image_url";
        JsonValue image = part.get("image_url");
        if (image instanceof JsonString url) {
            return new ContentPart.Image(url.getString(), Optional.empty());
        }
        if (image == null || image.getValueType() == JsonValue.ValueType.NULL) {
            throw missing(field);
        }
        JsonObject imageObject = asObject(image, field);
        String url = requiredString(imageObject, "url", field + ".url");
        if (!url.startsWith("https://") && !url.startsWith("http://") && !url.startsWith("data:")) {
            throw GatewayException.invalidRequest("'" + field + ".url' must be an http(s) URL or a data: URL",
                                                  field + ".url");
        }
        return new ContentPart.Image(url, optionalString(imageObject, "detail", field + ".detail"));
    }

    private static List<ToolCall> toolCalls(JsonObject message, String path) {
        String field = path + ".tool_calls";
        JsonValue value = message.get("tool_calls");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (!(value instanceof JsonArray calls)) {
            throw wrongType(field, "an array", value);
        }
        List<ToolCall> result = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            String callPath = field + "[" + i + "]";
            JsonObject call = asObject(calls.get(i), callPath);
            String type = optionalString(call, "type", callPath + ".type").orElse("function");
            if (!type.equals("function")) {
                throw GatewayException.invalidRequest("Invalid value for '" + callPath + ".type': '" + type
                                                              + "'. Supported values are: 'function'.", callPath + ".type");
            }
            JsonObject function = asObject(required(call, "function", callPath + ".function"), callPath + ".function");
            result.add(new ToolCall(requiredString(call, "id", callPath + ".id"),
                                    requiredString(function, "name", callPath + ".function.name"),
                                    requiredString(function, "arguments", callPath + ".function.arguments")));
        }
        return result;
    }

    private static OptionalInt maxTokens(JsonObject body) {
        OptionalInt completionTokens = positiveInt(body, "max_completion_tokens");
        OptionalInt maxTokens = positiveInt(body, "max_tokens");
        return completionTokens.isPresent() ? completionTokens : maxTokens;
    }

    private static OptionalInt positiveInt(JsonObject body, String name) {
        OptionalLong value = integer(body, name);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        long limit = value.getAsLong();
        if (limit < 1 || limit > Integer.MAX_VALUE) {
            throw GatewayException.invalidRequest("Invalid '" + name + "': expected an integer between 1 and "
                                                          + Integer.MAX_VALUE + ", but got " + limit + " instead.", name);
        }
        return OptionalInt.of((int) limit);
    }

    private static OptionalDouble number(JsonObject body, String name, double min, double max) {
        JsonValue value = body.get(name);
        if (isAbsent(value)) {
            return OptionalDouble.empty();
        }
        if (!(value instanceof JsonNumber number)) {
            throw wrongType(name, "a number", value);
        }
        double parsed = number.doubleValue();
        if (!(parsed >= min && parsed <= max)) {
            throw GatewayException.invalidRequest("Invalid '" + name + "': expected a number between " + format(min)
                                                          + " and " + format(max) + ", but got " + number + " instead.",
                                                  name);
        }
        return OptionalDouble.of(parsed);
    }

    private static List<String> stop(JsonObject body) {
        JsonValue value = body.get("stop");
        if (isAbsent(value)) {
            return List.of();
        }
        if (value instanceof JsonString single) {
            return List.of(nonEmptyStop(single.getString(), "stop"));
        }
        if (!(value instanceof JsonArray array)) {
            throw wrongType("stop", "a string or an array of strings", value);
        }
        if (array.size() > MAX_STOP_SEQUENCES) {
            throw GatewayException.invalidRequest("'stop' accepts at most " + MAX_STOP_SEQUENCES + " sequences, got "
                                                          + array.size(), "stop");
        }
        List<String> stops = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonString string)) {
                throw wrongType("stop[" + i + "]", "a string", array.get(i));
            }
            stops.add(nonEmptyStop(string.getString(), "stop[" + i + "]"));
        }
        return stops;
    }

    private static String nonEmptyStop(String stop, String field) {
        if (stop.isEmpty()) {
            throw GatewayException.invalidRequest("'" + field + "' must not be an empty string", field);
        }
        return stop;
    }

    private static boolean streamOptions(JsonObject body, boolean stream) {
        JsonValue value = body.get("stream_options");
        if (isAbsent(value)) {
            return false;
        }
        JsonObject options = asObject(value, "stream_options");
        if (!stream) {
            throw GatewayException.invalidRequest("'stream_options' is only allowed when 'stream' is true",
                                                  "stream_options");
        }
        return optionalBoolean(options, "include_usage", "stream_options.include_usage").orElse(false);
    }

    private static void checkN(JsonObject body) {
        OptionalLong n = integer(body, "n");
        if (n.isPresent() && n.getAsLong() != 1) {
            throw GatewayException.invalidRequest("Invalid 'n': this gateway returns exactly one choice per request,"
                                                          + " so 'n' must be 1, but got " + n.getAsLong() + ".", "n");
        }
    }

    private static OptionalLong seed(JsonObject body) {
        return integer(body, "seed");
    }

    private static Map<String, String> metadata(JsonObject body) {
        JsonValue value = body.get("metadata");
        if (isAbsent(value)) {
            return Map.of();
        }
        JsonObject object = asObject(value, "metadata");
        if (object.size() > MAX_METADATA_PAIRS) {
            throw GatewayException.invalidRequest("'metadata' accepts at most " + MAX_METADATA_PAIRS + " pairs",
                                                  "metadata");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String field = "metadata." + entry.getKey();
            if (entry.getKey().length() > MAX_METADATA_KEY) {
                throw GatewayException.invalidRequest("'metadata' keys are at most " + MAX_METADATA_KEY + " characters",
                                                      "metadata");
            }
            if (!(entry.getValue() instanceof JsonString string)) {
                throw wrongType(field, "a string", entry.getValue());
            }
            if (string.getString().length() > MAX_METADATA_VALUE) {
                throw GatewayException.invalidRequest("'" + field + "' is longer than " + MAX_METADATA_VALUE
                                                              + " characters", field);
            }
            metadata.put(entry.getKey(), string.getString());
        }
        return metadata;
    }

    private static OptionalLong integer(JsonObject body, String name) {
        JsonValue value = body.get(name);
        if (isAbsent(value)) {
            return OptionalLong.empty();
        }
        if (!(value instanceof JsonNumber number) || !isIntegral(number)) {
            throw wrongType(name, "an integer", value);
        }
        try {
            return OptionalLong.of(number.longValueExact());
        } catch (ArithmeticException e) {
            throw GatewayException.invalidRequest("Invalid '" + name + "': " + number + " is out of range", name);
        }
    }

    /** 3 and 3.0 are integers; 3.5 is not. */
    private static boolean isIntegral(JsonNumber number) {
        return number.isIntegral() || number.bigDecimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static Optional<Boolean> optionalBoolean(JsonObject object, String name) {
        return optionalBoolean(object, name, name);
    }

    private static Optional<Boolean> optionalBoolean(JsonObject object, String name, String field) {
        JsonValue value = object.get(name);
        if (isAbsent(value)) {
            return Optional.empty();
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE) {
            return Optional.of(true);
        }
        if (value.getValueType() == JsonValue.ValueType.FALSE) {
            return Optional.of(false);
        }
        throw wrongType(field, "a boolean", value);
    }

    private static Optional<String> optionalString(JsonObject object, String name) {
        return optionalString(object, name, name);
    }

    private static Optional<String> optionalString(JsonObject object, String name, String field) {
        JsonValue value = object.get(name);
        if (isAbsent(value)) {
            return Optional.empty();
        }
        if (!(value instanceof JsonString string)) {
            throw wrongType(field, "a string", value);
        }
        return Optional.of(string.getString());
    }

    private static String requiredString(JsonObject object, String name, String field) {
        JsonValue value = required(object, name, field);
        if (!(value instanceof JsonString string)) {
            throw wrongType(field, "a string", value);
        }
        return string.getString();
    }

    private static JsonArray requiredArray(JsonObject object, String name) {
        JsonValue value = required(object, name, name);
        if (!(value instanceof JsonArray array)) {
            throw wrongType(name, "an array", value);
        }
        return array;
    }

    private static JsonValue required(JsonObject object, String name, String field) {
        JsonValue value = object.get(name);
        if (isAbsent(value)) {
            throw missing(field);
        }
        return value;
    }

    private static JsonObject asObject(JsonValue value, String field) {
        if (!(value instanceof JsonObject object)) {
            throw wrongType(field, "an object", value);
        }
        return object;
    }

    private static boolean isAbsent(JsonValue value) {
        return value == null || value.getValueType() == JsonValue.ValueType.NULL;
    }

    private static GatewayException missing(String field) {
        return GatewayException.invalidRequest("Missing required parameter: '" + field + "'.", field);
    }

    private static GatewayException wrongType(String field, String expected, JsonValue actual) {
        return GatewayException.invalidRequest("Invalid type for '" + field + "': expected " + expected + ", but got "
                                                       + describe(actual) + " instead.", field);
    }

    static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
