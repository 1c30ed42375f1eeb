package io.llmgateway.anthropic;

import java.util.List;
import java.util.Optional;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule from OpenAI chat content to Anthropic Messages content.
 */
final class TestAnthropicContent {

    @Test
    void systemAndDeveloperMessagesBecomeTheSystemText() {
        List<ChatMessage> messages = List.of(ChatMessage.of(Role.SYSTEM, "Be brief."),
                                             ChatMessage.of(Role.DEVELOPER, "Answer in French."),
                                             ChatMessage.of(Role.USER, "Hi"));

        assertEquals(Optional.of("Be brief.\n\nAnswer in French."), AnthropicContent.system(messages));
        assertEquals(1, AnthropicContent.messages(messages).size());
        assertEquals(Optional.empty(), AnthropicContent.system(List.of(ChatMessage.of(Role.USER, "Hi"))));
    }

    @Test
    void consecutiveMessagesOfOneRoleAreMerged() {
        JsonArray messages = AnthropicContent.messages(List.of(ChatMessage.of(Role.USER, "one"),
                                                               ChatMessage.of(Role.USER, "two"),
                                                               ChatMessage.of(Role.ASSISTANT, "three"),
                                                               ChatMessage.of(Role.USER, "four")));

        assertEquals(3, messages.size());
        JsonArray first = messages.getJsonObject(0).getJsonArray("content");
        assertEquals("one", first.getJsonObject(0).getString("text"));
        assertEquals("two", first.getJsonObject(1).getString("text"));
        assertEquals("assistant", messages.getJsonObject(1).getString("role"));
    }

    @Test
    void imagesBecomeImageBlocks() {
        ChatMessage withImages = new ChatMessage(Role.USER, List.of(
                new ContentPart.Text("What is this?"),
                new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", Optional.empty()),
                new ContentPart.Image("https://example.com/cat.jpg", Optional.of("high"))),
                                                 Optional.empty(), List.of(), Optional.empty());

        List<JsonObject> content = AnthropicContent.blocks(withImages, "messages[0]");

        assertEquals("image", content.get(1).getString("type"));
        JsonObject base64 = content.get(1).getJsonObject("source");
        assertEquals("base64", base64.getString("type"));
        assertEquals("image/png", base64.getString("media_type"));
        assertEquals("iVBORw0KGgo=", base64.getString("data"));
        JsonObject url = content.get(2).getJsonObject("source");
        assertEquals("url", url.getString("type"));
        assertEquals("https://example.com/cat.jpg", url.getString("url"));
    }

    @Test
    void aDataUrlThatIsNotBase64IsRefused() {
        ChatMessage raw = new ChatMessage(Role.USER, List.of(new ContentPart.Image("data:image/png,raw", Optional.empty())),
                                          Optional.empty(), List.of(), Optional.empty());
        ChatMessage garbled = new ChatMessage(Role.USER, List.of(new ContentPart.Text("see"),
                                                                 new ContentPart.Image("data:image/png;base64,%%%",
                                                                                       Optional.empty())),
                                              Optional.empty(), List.of(), Optional.empty());

        GatewayException notBase64 = assertThrows(GatewayException.class,
                                                  () -> AnthropicContent.messages(List.of(raw)));
        GatewayException invalid = assertThrows(GatewayException.class,
                                                () -> AnthropicContent.messages(List.of(ChatMessage.of(Role.USER, "a"),
                                                                                        garbled)));

        assertEquals("messages[0].content[0].image_url.url", notBase64.param().orElseThrow());
        assertEquals("messages[1].content[1].image_url.url", invalid.param().orElseThrow());
    }

    @Test
    void toolsTranslate() {
        JsonArray tools = AnthropicContent.tools(Jsons.parse("""
                {"tools":[{"type":"function","function":{"name":"weather","description":"Weather for a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                  {"type":"function","function":{"name":"time"}}]}""")).orElseThrow();

        assertEquals("weather", tools.getJsonObject(0).getString("name"));
        assertEquals("Weather for a city", tools.getJsonObject(0).getString("description"));
        assertEquals("string", tools.getJsonObject(0).getJsonObject("input_schema").getJsonObject("properties")
                .getJsonObject("city").getString("type"));
        assertEquals("object", tools.getJsonObject(1).getJsonObject("input_schema").getString("type"));
        assertEquals(Optional.empty(), AnthropicContent.tools(Jsons.parse("{\"tools\":[]}")));
        GatewayException notAFunction = assertThrows(GatewayException.class, () -> AnthropicContent.tools(
                Jsons.parse("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},{\"type\":\"code\"}]}")));
        assertEquals("tools[1]", notAFunction.param().orElseThrow());
    }

    @Test
    void aToolsDraftSevenTupleGoesIn2020Form() {
        // Anthropic refuses "items": [...] in an input_schema (it validates against draft 2020-12)
        JsonArray tools = AnthropicContent.tools(Jsons.parse("""
                {"tools":[{"type":"function","function":{"name":"drag","parameters":{"type":"object","properties":{
                  "to":{"type":"array","items":[{"type":"number"},{"type":"number"}],"additionalItems":false}}}}}]}""")).orElseThrow();

        assertEquals(Jsons.parse("{\"type\":\"array\",\"prefixItems\":[{\"type\":\"number\"},{\"type\":\"number\"}],\"items\":false}"),
                     tools.getJsonObject(0).getJsonObject("input_schema").getJsonObject("properties").getJsonObject("to"));
    }

    @Test
    void toolChoiceModes() {
        assertEquals("auto", choice("\"auto\"", "").getString("type"));
        assertEquals("none", choice("\"none\"", "").getString("type"));
        assertEquals("any", choice("\"required\"", "").getString("type"));
        JsonObject named = choice("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}", ",\"parallel_tool_calls\":false");
        assertEquals("tool", named.getString("type"));
        assertEquals("f", named.getString("name"));
        assertTrue(named.getBoolean("disable_parallel_tool_use"));
        JsonObject sequential = AnthropicContent.toolChoice(Jsons.parse(
                "{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"parallel_tool_calls\":false}"))
                .orElseThrow();
        assertEquals("auto", sequential.getString("type"), "parallel_tool_calls alone still needs a choice to ride on");
        assertEquals(Optional.empty(), AnthropicContent.toolChoice(Jsons.parse("{}")));
        assertEquals("tool_choice", assertThrows(GatewayException.class, () -> choice("\"sometimes\"", ""))
                .param().orElseThrow());
        assertEquals("tool_choice", assertThrows(GatewayException.class, () -> choice("{\"type\":\"function\"}", ""))
                .param().orElseThrow());
    }

    @Test
    void toolCallsAndResultsBecomeToolUseAndToolResultBlocks() {
        ChatMessage call = new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(),
                                           List.of(new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}"),
                                                   new ToolCall("call_2", "time", "")), Optional.empty());
        ChatMessage result1 = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("3 degrees")), Optional.empty(),
                                              List.of(), Optional.of("call_1"));
        ChatMessage result2 = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("12:00")), Optional.empty(),
                                              List.of(), Optional.of("call_2"));

        JsonArray messages = AnthropicContent.messages(List.of(ChatMessage.of(Role.USER, "Weather and time?"), call,
                                                               result1, result2, ChatMessage.of(Role.USER, "Thanks")));

        assertEquals(3, messages.size());
        JsonArray toolUses = messages.getJsonObject(1).getJsonArray("content");
        assertEquals("tool_use", toolUses.getJsonObject(0).getString("type"));
        assertEquals("call_1", toolUses.getJsonObject(0).getString("id"));
        assertEquals("weather", toolUses.getJsonObject(0).getString("name"));
        assertEquals("Oslo", toolUses.getJsonObject(0).getJsonObject("input").getString("city"));
        assertEquals(0, toolUses.getJsonObject(1).getJsonObject("input").size());
        JsonArray results = messages.getJsonObject(2).getJsonArray("content");
        assertEquals("tool_result", results.getJsonObject(0).getString("type"));
        assertEquals("call_1", results.getJsonObject(0).getString("tool_use_id"));
        assertEquals("3 degrees", results.getJsonObject(0).getString("content"));
        assertEquals("call_2", results.getJsonObject(1).getString("tool_use_id"));
        assertEquals("Thanks", results.getJsonObject(2).getString("text"), "the user's text follows the results");
    }

    @Test
    void toolCallArgumentsMustBeAJsonObject() {
        ChatMessage call = new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(),
                                           List.of(new ToolCall("call_1", "weather", "not json")), Optional.empty());
        ChatMessage array = new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(),
                                            List.of(new ToolCall("call_1", "weather", "[1]")), Optional.empty());

        GatewayException e = assertThrows(GatewayException.class, () -> AnthropicContent.messages(List.of(
                ChatMessage.of(Role.USER, "Hi"), call, ChatMessage.of(Role.USER, "again"))));

        assertEquals("messages[1].tool_calls[0].function.arguments", e.param().orElseThrow());
        assertThrows(GatewayException.class, () -> AnthropicContent.blocks(array, "messages[0]"));
    }

    private static JsonObject choice(String toolChoice, String more) {
        return AnthropicContent.toolChoice(Jsons.parse("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                                                               + "\"tool_choice\":" + toolChoice + more + "}")).orElseThrow();
    }
}
