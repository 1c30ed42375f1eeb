package io.llmgateway.backend.api;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each translation rule from an OpenAI request to an Anthropic Messages request.
 */
final class TestAnthropicRequests {

    @Test
    void systemAndDeveloperMessagesBecomeTheSystemPrompt() {
        JsonObject body = build(Requests.of(List.of(ChatMessage.of(Role.SYSTEM, "Be brief."),
                                                    ChatMessage.of(Role.DEVELOPER, "Answer in French."),
                                                    ChatMessage.of(Role.USER, "Hi"))));

        assertEquals("Be brief.\n\nAnswer in French.", body.getString("system"));
        assertEquals(1, body.getJsonArray("messages").size());
        assertEquals("claude-sonnet-5-5", body.getString("model"));
        assertEquals(4096, body.getInt("max_tokens"));
        assertFalse(body.containsKey("stream"));
    }

    @Test
    void consecutiveMessagesOfOneRoleAreMerged() {
        JsonArray messages = build(Requests.of(List.of(ChatMessage.of(Role.USER, "one"), ChatMessage.of(Role.USER, "two"),
                                                       ChatMessage.of(Role.ASSISTANT, "three"),
                                                       ChatMessage.of(Role.USER, "four")))).getJsonArray("messages");

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

        JsonArray content = build(Requests.of(List.of(withImages))).getJsonArray("messages").getJsonObject(0)
                .getJsonArray("content");

        JsonObject base64 = content.getJsonObject(1).getJsonObject("source");
        assertEquals("base64", base64.getString("type"));
        assertEquals("image/png", base64.getString("media_type"));
        assertEquals("iVBORw0KGgo=", base64.getString("data"));
        JsonObject url = content.getJsonObject(2).getJsonObject("source");
        assertEquals("url", url.getString("type"));
        assertEquals("https://example.com/cat.jpg", url.getString("url"));
    }

    @Test
    void aDataUrlThatIsNotBase64IsRefused() {
        ChatMessage bad = new ChatMessage(Role.USER, List.of(new ContentPart.Image("data:image/png,raw", Optional.empty())),
                                          Optional.empty(), List.of(), Optional.empty());

        GatewayException e = assertThrows(GatewayException.class, () -> build(Requests.of(List.of(bad))));

        assertEquals("messages[0].content[0].image_url.url", e.param().orElseThrow());
    }

    @Test
    void samplingParametersTranslate() {
        JsonObject body = build(Requests.withSampling(List.of(ChatMessage.of(Role.USER, "Hi")), 100, 1.7, 0.9,
                                                      List.of("END", "STOP"), "user-42"));

        assertEquals(100, body.getInt("max_tokens"));
        assertEquals(1.0, body.getJsonNumber("temperature").doubleValue(), "capped at Anthropic's maximum");
        assertEquals(0.9, body.getJsonNumber("top_p").doubleValue());
        assertEquals(List.of("END", "STOP"), body.getJsonArray("stop_sequences").getValuesAs(
                jakarta.json.JsonString::getString));
        assertEquals("user-42", body.getJsonObject("metadata").getString("user_id"));
    }

    @Test
    void toolsAndToolChoiceTranslate() {
        JsonObject request = Requests.json("""
                {"tools":[{"type":"function","function":{"name":"weather","description":"Weather for a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                  {"type":"function","function":{"name":"time"}}],
                 "tool_choice":{"type":"function","function":{"name":"weather"}},
                 "parallel_tool_calls":false}""");

        JsonObject body = build(Requests.of(List.of(ChatMessage.of(Role.USER, "Weather in Oslo?")), request));

        JsonArray tools = body.getJsonArray("tools");
        assertEquals("weather", tools.getJsonObject(0).getString("name"));
        assertEquals("Weather for a city", tools.getJsonObject(0).getString("description"));
        assertEquals("string", tools.getJsonObject(0).getJsonObject("input_schema").getJsonObject("properties")
                .getJsonObject("city").getString("type"));
        assertEquals("object", tools.getJsonObject(1).getJsonObject("input_schema").getString("type"));
        JsonObject choice = body.getJsonObject("tool_choice");
        assertEquals("tool", choice.getString("type"));
        assertEquals("weather", choice.getString("name"));
        assertTrue(choice.getBoolean("disable_parallel_tool_use"));
    }

    @Test
    void toolChoiceModes() {
        assertEquals("auto", choice("\"auto\"").getString("type"));
        assertEquals("none", choice("\"none\"").getString("type"));
        assertEquals("any", choice("\"required\"").getString("type"));
        assertThrows(GatewayException.class, () -> choice("\"sometimes\""));
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

        JsonArray messages = build(Requests.of(List.of(ChatMessage.of(Role.USER, "Weather and time?"), call, result1,
                                                       result2, ChatMessage.of(Role.USER, "Thanks")))).getJsonArray("messages");

        assertEquals(3, messages.size());
        JsonArray toolUses = messages.getJsonObject(1).getJsonArray("content");
        assertEquals("tool_use", toolUses.getJsonObject(0).getString("type"));
        assertEquals("call_1", toolUses.getJsonObject(0).getString("id"));
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

        GatewayException e = assertThrows(GatewayException.class, () -> build(Requests.of(List.of(
                ChatMessage.of(Role.USER, "Hi"), call, ChatMessage.of(Role.USER, "again")))));

        assertEquals("messages[1].tool_calls[0].function.arguments", e.param().orElseThrow());
    }

    @Test
    void responseFormatAndLogprobsAreRefused() {
        GatewayException format = assertThrows(GatewayException.class, () -> build(Requests.of(
                List.of(ChatMessage.of(Role.USER, "Hi")), Requests.json("{\"response_format\":{\"type\":\"json_object\"}}"))));
        GatewayException logprobs = assertThrows(GatewayException.class, () -> build(Requests.of(
                List.of(ChatMessage.of(Role.USER, "Hi")), Requests.json("{\"logprobs\":true}"))));

        assertEquals("response_format", format.param().orElseThrow());
        assertEquals("logprobs", logprobs.param().orElseThrow());
        build(Requests.of(List.of(ChatMessage.of(Role.USER, "Hi")), Requests.json("{\"response_format\":{\"type\":\"text\"}}")));
    }

    @Test
    void streamingIsAskedFor() {
        JsonObject body = Requests.json(AnthropicRequests.build(Requests.of(List.of(ChatMessage.of(Role.USER, "Hi"))),
                                                                "claude-x", 4096, true));

        assertTrue(body.getBoolean("stream"));
    }

    private static JsonObject choice(String toolChoice) {
        JsonObject request = Requests.json("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                                                   + "\"tool_choice\":" + toolChoice + "}");
        return build(Requests.of(List.of(ChatMessage.of(Role.USER, "Hi")), request)).getJsonObject("tool_choice");
    }

    private static JsonObject build(io.llmgateway.api.ChatRequest request) {
        return Requests.json(AnthropicRequests.build(request, "claude-sonnet-5-5", 4096, false));
    }
}
