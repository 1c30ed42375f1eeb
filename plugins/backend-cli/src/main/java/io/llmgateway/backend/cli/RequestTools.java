package io.llmgateway.backend.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.llmgateway.anthropic.AnthropicContent;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static java.util.Objects.requireNonNull;

/**
 * A request's {@code tools} and {@code tool_choice} as the CLI can honour them. The CLI sends the model no
 * {@code tool_choice}, so: {@code auto} (or none given) lists every function; {@code none} lists none;
 * {@code required} lists every function and asks the model, in the user turn, to call one; a named choice
 * lists only that function and asks the model to call it. The last two are a best effort: a model that
 * answers in text anyway is answered as it is. {@code parallel_tool_calls} is not honoured (the model may
 * call several functions at once either way).
 *
 * @param offered     the functions the session lists for this request
 * @param instruction what the user turn adds to steer the model ({@code required}, a named choice)
 */
record RequestTools(ToolSet offered, Optional<String> instruction) {

    /** OpenAI's rule for function names; the CLI would rewrite other characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    RequestTools {
        requireNonNull(offered, "offered is null");
        requireNonNull(instruction, "instruction is null");
    }

    /**
     * Reads the request's functions and choice.
     *
     * @param body the request body
     * @return what the session lists and how the model is steered
     * @throws GatewayException 400 naming the param for a malformed tool, name or choice, or legacy {@code functions}
     */
    static RequestTools of(JsonObject body) {
        if (isSet(body.get("functions")) || isSet(body.get("function_call"))) {
            throw GatewayException.invalidRequest("The cli backend takes functions as 'tools' (the legacy 'functions'"
                                                          + " and 'function_call' are not supported)",
                                                  isSet(body.get("functions")) ? "functions" : "function_call");
        }
        ToolSet all = toolSet(body);
        Optional<JsonObject> choice = AnthropicContent.toolChoice(body); // validates the shape
        String type = choice.map(c -> c.getString("type", "auto")).orElse("auto");
        if (all.isEmpty()) {
            if (type.equals("tool") || type.equals("any")) {
                throw GatewayException.invalidRequest("'tool_choice' needs 'tools' to choose from", "tool_choice");
            }
            return new RequestTools(ToolSet.NONE, Optional.empty());
        }
        return switch (type) {
            case "none" -> new RequestTools(ToolSet.NONE, Optional.empty());
            case "any" -> new RequestTools(all, Optional.of(
                    "(Answer this by calling one or more of your tools, not with text alone.)"));
            case "tool" -> {
                String name = choice.orElseThrow().getString("name");
                if (!all.has(name)) {
                    throw GatewayException.invalidRequest("'tool_choice' names the function '" + name
                                                                  + "', which is not in 'tools'", "tool_choice");
                }
                yield new RequestTools(all.only(name), Optional.of("(Answer this by calling the tool " + name + ".)"));
            }
            default -> new RequestTools(all, Optional.empty());
        };
    }

    private static ToolSet toolSet(JsonObject body) {
        Optional<JsonArray> anthropic = AnthropicContent.tools(body); // validates each entry's shape
        if (anthropic.isEmpty()) {
            return ToolSet.NONE;
        }
        List<ToolSet.Tool> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < anthropic.get().size(); i++) {
            JsonObject tool = anthropic.get().getJsonObject(i);
            String name = tool.getString("name");
            String param = "tools[" + i + "].function.name";
            if (!NAME.matcher(name).matches()) {
                throw GatewayException.invalidRequest("A function name must be 1 to 64 letters, digits, '_' or '-'", param);
            }
            if (!names.add(name)) {
                throw GatewayException.invalidRequest("Two tools are named '" + name + "'", param);
            }
            JsonObject schema = tool.getJsonObject("input_schema");
            JsonValue schemaType = schema.get("type");
            if (schemaType != null && !(schemaType instanceof JsonString string && string.getString().equals("object"))) {
                throw GatewayException.invalidRequest("A function's 'parameters' must be a JSON schema of type 'object'",
                                                      "tools[" + i + "].function.parameters");
            }
            if (schemaType == null) {
                schema = CliProcess.JSON.createObjectBuilder(schema).add("type", "object").build();
            }
            tools.add(new ToolSet.Tool(name, tool.getString("description", ""), schema));
        }
        return new ToolSet(tools);
    }

    private static boolean isSet(JsonValue value) {
        return value != null && value.getValueType() != JsonValue.ValueType.NULL
                && !(value instanceof JsonArray array && array.isEmpty());
    }
}
