package io.llmgateway.backend.mock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The request's {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} (their shape checked by
 * the host), and the mock's rule for which tools it calls: the named {@code tool_choice}; else every tool
 * the last user message names (by its name as a word, {@code _} and {@code -} also written as spaces), in
 * the order they are named, only the first with {@code parallel_tool_calls: false}; else the first tool.
 * {@code none} never calls, {@code auto} calls unless the last message is a tool result (then the mock
 * answers), {@code required} and a named function always call, as OpenAI's models are made to.
 *
 * @param tools    the tools, in request order
 * @param choice   {@code none}, {@code auto}, {@code required} or {@code named}
 * @param named    the function a named {@code tool_choice} forces
 * @param parallel whether several calls may be made at once
 */
record MockTools(List<Tool> tools, String choice, Optional<String> named, boolean parallel) {

    /**
     * Validates and copies.
     */
    MockTools {
        tools = List.copyOf(tools);
    }

    static MockTools of(JsonObject body) {
        List<Tool> tools = new ArrayList<>();
        if (body.get("tools") instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                String param = "tools[" + i + "]";
                if (!(array.get(i) instanceof JsonObject tool) || !(tool.get("function") instanceof JsonObject function)
                        || !(function.get("name") instanceof JsonString name)) {
                    throw GatewayException.invalidRequest("'" + param + "' must be {\"type\":\"function\",\"function\":"
                                                                  + "{\"name\":...}}", param);
                }
                JsonValue parameters = function.get("parameters");
                tools.add(new Tool(name.getString(), parameters instanceof JsonObject schema ? Optional.of(schema) : Optional.empty(),
                                   param + ".function.parameters"));
            }
        }
        JsonValue choice = body.get("tool_choice");
        String mode = "auto";
        Optional<String> named = Optional.empty();
        if (choice instanceof JsonString string) {
            mode = string.getString();
        } else if (choice instanceof JsonObject object && object.get("function") instanceof JsonObject function
                && function.get("name") instanceof JsonString name) {
            mode = "named";
            named = Optional.of(name.getString());
        }
        return new MockTools(tools, mode, named, body.get("parallel_tool_calls") != JsonValue.FALSE);
    }

    /**
     * Which tools this turn calls.
     *
     * @param lastUserText    what the user said last
     * @param afterToolResult whether the conversation ends with tool results
     * @return the tools to call, in order; empty for a text answer
     */
    List<Tool> toCall(String lastUserText, boolean afterToolResult) {
        if (tools.isEmpty() || choice.equals("none") || choice.equals("auto") && afterToolResult) {
            return List.of();
        }
        if (named.isPresent()) {
            return tools.stream().filter(tool -> tool.name().equals(named.get())).limit(1).toList();
        }
        List<Mention> mentioned = new ArrayList<>();
        for (Tool tool : tools) {
            Matcher matcher = mention(tool.name()).matcher(lastUserText);
            if (matcher.find()) {
                mentioned.add(new Mention(tool, matcher.start()));
            }
        }
        mentioned.sort(Comparator.comparingInt(Mention::at));
        List<Tool> calls = mentioned.isEmpty() ? List.of(tools.getFirst()) : mentioned.stream().map(Mention::tool).toList();
        return parallel ? calls : calls.subList(0, 1);
    }

    private static Pattern mention(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("[_-]", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile("(?<![\\p{L}\\p{N}_-])" + String.join("[_\\- ]", parts) + "(?![\\p{L}\\p{N}_-])",
                               Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /**
     * One function the client offers.
     *
     * @param name       its name
     * @param parameters its JSON schema, if it has one
     * @param param      where the schema is in the request
     */
    record Tool(String name, Optional<JsonObject> parameters, String param) {
    }

    private record Mention(Tool tool, int at) {
    }
}
