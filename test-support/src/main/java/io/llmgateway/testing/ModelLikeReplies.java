package io.llmgateway.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A reply function that answers Messages API requests roughly as a model obeying them would, generically,
 * so that real clients can run their tool loops and structured outputs against {@link FakeAnthropicApi}.
 * See {@link FakeAnthropicApi#answersLikeAModel()} for the rules.
 */
final class ModelLikeReplies implements Function<RecordedRequest, Reply> {

    /** The prefix the claude CLI gives the tools of an MCP server ({@code mcp__gw__get_weather}). */
    private static final String MCP_PREFIX = "mcp__";

    @Override
    public Reply apply(RecordedRequest request) {
        JsonObject body = request.body();
        List<JsonObject> tools = body.get("tools") instanceof JsonArray all
                ? all.stream().filter(tool -> tool instanceof JsonObject object && Jsons.string(object, "name") != null)
                        .map(JsonValue::asJsonObject).toList()
                : List.of();
        JsonObject choice = body.get("tool_choice") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        String choiceType = choice.getString("type", "auto");
        List<ToolResult> results = lastToolResults(request.messages());
        if (!tools.isEmpty() && !choiceType.equals("none")) {
            if (choiceType.equals("tool")) {
                Optional<JsonObject> forced = tools.stream().filter(tool -> tool.getString("name").equals(choice.getString("name", "")))
                        .findFirst();
                if (forced.isPresent()) {
                    return Reply.toolUse("", call(forced.get()));
                }
            }
            Optional<JsonObject> answerTool = tools.stream().filter(ModelLikeReplies::isAnswerTool).findFirst();
            List<JsonObject> clientTools = tools.stream().filter(tool -> !isAnswerTool(tool)).toList();
            boolean mustCall = choiceType.equals("any");
            if (results.isEmpty() && !clientTools.isEmpty()) {
                boolean parallel = !choice.getBoolean("disable_parallel_tool_use", false);
                List<JsonObject> chosen = chosen(clientTools, request.lastUserText(), parallel);
                // the API prefills a forced call, so only a free choice has words before the calls
                String preamble = mustCall ? "" : "Let me call " + chosen.stream().map(ModelLikeReplies::shownName)
                        .collect(Collectors.joining(" and ")) + ".";
                return Reply.toolUse(preamble, chosen.stream().map(ModelLikeReplies::call).toArray(Reply.ToolCall[]::new));
            }
            if (answerTool.isPresent()) {
                return Reply.toolUse("", call(answerTool.get()));
            }
            if (mustCall) {
                return Reply.toolUse("", call(clientTools.getFirst()));
            }
        }
        if (body.get("output_config") instanceof JsonObject config && config.get("format") instanceof JsonObject format
                && format.get("schema") instanceof JsonObject schema) {
            return pieces(FakeSchemaInstances.of(schema).toString());
        }
        if (!results.isEmpty()) {
            return pieces(results.stream().map(result -> result.name() + " returned " + result.content())
                                  .collect(Collectors.joining("; ", "Here is what I found: ", ".")));
        }
        return null;
    }

    /** A structured-output tool: the gateway's answer tool, the CLI's {@code StructuredOutput}. */
    private static boolean isAnswerTool(JsonObject tool) {
        String name = tool.getString("name");
        return name.startsWith("json_answer") || name.equals("StructuredOutput");
    }

    /** {@return the tools the user's words name (one unless parallel), else the first} */
    private static List<JsonObject> chosen(List<JsonObject> tools, String userText, boolean parallel) {
        String words = userText.toLowerCase(Locale.ROOT);
        List<JsonObject> named = tools.stream().filter(tool -> words.contains(shownName(tool).toLowerCase(Locale.ROOT)))
                .toList();
        if (named.isEmpty()) {
            return List.of(tools.getFirst());
        }
        return parallel ? named : List.of(named.getFirst());
    }

    /** {@return the name a user would use: without the CLI's {@code mcp__server__} prefix} */
    private static String shownName(JsonObject tool) {
        return shownName(tool.getString("name"));
    }

    private static String shownName(String name) {
        if (name.startsWith(MCP_PREFIX)) {
            int end = name.indexOf("__", MCP_PREFIX.length());
            if (end > 0) {
                return name.substring(end + 2);
            }
        }
        return name;
    }

    private static Reply.ToolCall call(JsonObject tool) {
        JsonValue input = FakeSchemaInstances.of(tool.getOrDefault("input_schema", JsonValue.EMPTY_JSON_OBJECT));
        return Reply.ToolCall.of(tool.getString("name"), input instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT);
    }

    private static Reply pieces(String text) {
        return Reply.text(Jsons.fragments(text, 4).stream().filter(piece -> !piece.isEmpty()).toList());
    }

    /** One {@code tool_result} block of the last message, with the name of the tool that was called. */
    private record ToolResult(String name, String content) {
    }

    /** {@return the tool results of the last message, if it is a user message that carries them} */
    private static List<ToolResult> lastToolResults(JsonArray messages) {
        if (messages.isEmpty() || !(messages.getLast() instanceof JsonObject last) || !"user".equals(Jsons.string(last, "role"))
                || !(last.get("content") instanceof JsonArray blocks)) {
            return List.of();
        }
        Map<String, String> names = new HashMap<>();
        for (JsonValue message : messages) {
            if (message instanceof JsonObject object && object.get("content") instanceof JsonArray content) {
                content.stream().filter(block -> block instanceof JsonObject b && "tool_use".equals(Jsons.string(b, "type")))
                        .map(JsonValue::asJsonObject)
                        .forEach(use -> names.put(use.getString("id", ""), use.getString("name", "a tool")));
            }
        }
        List<ToolResult> results = new ArrayList<>();
        for (JsonValue block : blocks) {
            if (block instanceof JsonObject result && "tool_result".equals(Jsons.string(result, "type"))) {
                String id = result.get("tool_use_id") instanceof JsonString s ? s.getString() : "";
                JsonValue content = result.getOrDefault("content", JsonValue.EMPTY_JSON_ARRAY);
                String name = names.getOrDefault(id, "a tool");
                results.add(new ToolResult(shownName(name), Jsons.text(content)));
            }
        }
        return results;
    }
}
