package io.llmgateway.backend.api;

import java.util.List;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The api backend's own rules from an OpenAI request to an Anthropic Messages request; the content
 * mapping it shares with the cli backend is tested in the anthropic-messages library.
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
    void toolsAndToolChoiceAreInTheRequest() {
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

    private static JsonObject build(io.llmgateway.api.ChatRequest request) {
        return Requests.json(AnthropicRequests.build(request, "claude-sonnet-5-5", 4096, false));
    }
}
