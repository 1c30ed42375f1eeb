package io.llmgateway.anthropic;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * OpenAI chat content as Anthropic Messages content.
 *
 * <ul>
 *     <li>system and developer messages become {@code system}; consecutive messages of one role are merged
 *     (Anthropic wants user and assistant turns to alternate);</li>
 *     <li>text parts become text blocks; {@code image_url} parts become image blocks (a {@code data:} URL as
 *     a base64 source, an http(s) URL as a url source);</li>
 *     <li>assistant {@code tool_calls} become {@code tool_use} blocks; {@code tool} messages become
 *     {@code tool_result} blocks of a user turn, ahead of anything else in it;</li>
 *     <li>{@code tools} become Anthropic tools; {@code tool_choice} auto/none/required/named becomes
 *     auto/none/any/tool, with {@code parallel_tool_calls: false} as {@code disable_parallel_tool_use}.</li>
 * </ul>
 * What cannot be translated is a 400 naming the param at fault.
 */
public final class AnthropicContent {

    private static final JsonProvider JSON = JsonProvider.provider();

    private AnthropicContent() {
    }

    /**
     * The {@code system} text: the system and developer messages, in order, a blank line apart.
     *
     * @param messages the request's messages
     * @return the text, or empty when there are no such messages
     */
    public static Optional<String> system(List<ChatMessage> messages) {
        List<String> parts = messages.stream().filter(m -> m.role().isInstruction()).map(ChatMessage::text).toList();
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", parts));
    }

    /**
     * The {@code messages} array: every message but the instructions, as alternating user and assistant turns.
     *
     * @param messages the request's messages
     * @return the Anthropic messages
     * @throws GatewayException 400 for an image or tool call that cannot be translated
     */
    public static JsonArray messages(List<ChatMessage> messages) {
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message.role().isInstruction()) {
                continue;
            }
            String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
            List<JsonObject> blocks = blocks(message, "messages[" + i + "]");
            if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
                turns.getLast().blocks().addAll(blocks);
            } else {
                turns.add(new Turn(role, new ArrayList<>(blocks)));
            }
        }
        JsonArrayBuilder array = JSON.createArrayBuilder();
        for (Turn turn : turns) {
            JsonArrayBuilder content = JSON.createArrayBuilder();
            // Anthropic wants a user turn's tool results before anything else in it
            turn.blocks().stream().filter(AnthropicContent::isToolResult).forEach(content::add);
            turn.blocks().stream().filter(block -> !isToolResult(block)).forEach(content::add);
            array.add(JSON.createObjectBuilder().add("role", turn.role()).add("content", content));
        }
        return array.build();
    }

    /**
     * One message's content blocks: a tool message as its {@code tool_result}; otherwise its text and
     * image parts, then its tool calls as {@code tool_use} blocks. Empty text parts are left out, unless
     * the message is that one part alone.
     *
     * @param message the message
     * @param path    the message's param path, such as {@code messages[2]}, for errors
     * @return the blocks
     * @throws GatewayException 400 for an image or tool call that cannot be translated
     */
    public static List<JsonObject> blocks(ChatMessage message, String path) {
        List<JsonObject> blocks = new ArrayList<>();
        if (message.role() == Role.TOOL) {
            blocks.add(JSON.createObjectBuilder()
                               .add("type", "tool_result")
                               .add("tool_use_id", message.toolCallId().orElseThrow())
                               .add("content", message.text())
                               .build());
            return blocks;
        }
        for (int p = 0; p < message.content().size(); p++) {
            switch (message.content().get(p)) {
                case ContentPart.Text(String text) -> {
                    if (!text.isEmpty() || message.content().size() == 1 && message.toolCalls().isEmpty()) {
                        blocks.add(JSON.createObjectBuilder().add("type", "text").add("text", text).build());
                    }
                }
                case ContentPart.Image image -> blocks.add(image(image.url(), path + ".content[" + p + "].image_url.url"));
            }
        }
        for (int c = 0; c < message.toolCalls().size(); c++) {
            ToolCall call = message.toolCalls().get(c);
            blocks.add(JSON.createObjectBuilder()
                               .add("type", "tool_use")
                               .add("id", call.id())
                               .add("name", call.name())
                               .add("input", arguments(call.arguments(), path + ".tool_calls[" + c + "].function.arguments"))
                               .build());
        }
        return blocks;
    }

    /**
     * An image block: a {@code data:} URL as a base64 source, anything else as a url source.
     *
     * @param url   the {@code image_url.url}
     * @param param its param path, for errors
     * @return the block
     * @throws GatewayException 400 for a {@code data:} URL that is not valid base64
     */
    public static JsonObject image(String url, String param) {
        JsonObjectBuilder source = JSON.createObjectBuilder();
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring(5, comma);
            if (comma < 0 || !header.endsWith(";base64")) {
                throw GatewayException.invalidRequest("An image data: URL must be base64 (data:image/png;base64,...)", param);
            }
            String data = url.substring(comma + 1);
            try {
                Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalidRequest("The image data: URL is not valid base64", param);
            }
            source.add("type", "base64").add("media_type", header.substring(0, header.length() - 7)).add("data", data);
        } else {
            source.add("type", "url").add("url", url);
        }
        return JSON.createObjectBuilder().add("type", "image").add("source", source).build();
    }

    /**
     * The request's {@code tools} as Anthropic tools ({@code name}, {@code description},
     * {@code input_schema} from {@code parameters} in its JSON Schema 2020-12 form ({@link OlderDrafts}),
     * an empty object schema when it has none).
     *
     * @param body the request body
     * @return the tools, or empty when the request has none
     * @throws GatewayException 400 naming {@code tools[i]} for a tool that is not a function
     */
    public static Optional<JsonArray> tools(JsonObject body) {
        if (!(body.get("tools") instanceof JsonArray tools) || tools.isEmpty()) {
            return Optional.empty();
        }
        JsonArrayBuilder anthropic = JSON.createArrayBuilder();
        for (int i = 0; i < tools.size(); i++) {
            String param = "tools[" + i + "]";
            if (!(tools.get(i) instanceof JsonObject tool) || !"function".equals(tool.getString("type", ""))
                    || !(tool.get("function") instanceof JsonObject function)
                    || !(function.get("name") instanceof JsonString name)) {
                throw GatewayException.invalidRequest("Each tool must be {\"type\":\"function\",\"function\":{\"name\":...}}",
                                                      param);
            }
            JsonObjectBuilder converted = JSON.createObjectBuilder().add("name", name.getString());
            if (function.get("description") instanceof JsonString description) {
                converted.add("description", description.getString());
            }
            JsonValue parameters = function.get("parameters");
            // Anthropic validates input schemas against draft 2020-12 and refuses a draft-07 tuple
            converted.add("input_schema", parameters instanceof JsonObject schema ? OlderDrafts.upgraded(schema)
                    : JSON.createObjectBuilder().add("type", "object").add("properties", JsonValue.EMPTY_JSON_OBJECT).build());
            anthropic.add(converted);
        }
        return Optional.of(anthropic.build());
    }

    /**
     * The request's {@code tool_choice} (and {@code parallel_tool_calls: false}) as Anthropic's.
     *
     * @param body the request body
     * @return the tool choice, or empty when the request leaves it to the default
     * @throws GatewayException 400 naming {@code tool_choice} for one that is not auto, none, required or a function
     */
    public static Optional<JsonObject> toolChoice(JsonObject body) {
        JsonValue choice = body.get("tool_choice");
        boolean sequential = body.get("parallel_tool_calls") == JsonValue.FALSE;
        JsonObjectBuilder anthropic = JSON.createObjectBuilder();
        if (choice instanceof JsonString mode) {
            switch (mode.getString()) {
                case "auto" -> anthropic.add("type", "auto");
                case "none" -> anthropic.add("type", "none");
                case "required" -> anthropic.add("type", "any");
                default -> throw GatewayException.invalidRequest("'tool_choice' must be auto, none, required or a function",
                                                                 "tool_choice");
            }
        } else if (choice instanceof JsonObject named) {
            if (!(named.get("function") instanceof JsonObject function) || !(function.get("name") instanceof JsonString name)) {
                throw GatewayException.invalidRequest("'tool_choice' must name a function: {\"type\":\"function\","
                                                              + "\"function\":{\"name\":...}}", "tool_choice");
            }
            anthropic.add("type", "tool").add("name", name.getString());
        } else if (sequential && body.get("tools") instanceof JsonArray tools && !tools.isEmpty()) {
            anthropic.add("type", "auto");
        } else {
            return Optional.empty();
        }
        if (sequential) {
            anthropic.add("disable_parallel_tool_use", true);
        }
        return Optional.of(anthropic.build());
    }

    private static JsonValue arguments(String arguments, String param) {
        if (arguments.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(arguments))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject) {
                return value;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw GatewayException.invalidRequest("Tool call arguments must be a JSON object", param);
    }

    private static boolean isToolResult(JsonObject block) {
        return "tool_result".equals(block.getString("type", ""));
    }

    private record Turn(String role, List<JsonObject> blocks) {
    }
}
