package io.llmgateway.backend.cli;

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
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestConversation {

    /** A 1x1 PNG as a data: URL. */
    static final String PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

    @Test
    void systemAndDeveloperMessagesBecomeTheSystemPrompt() {
        Conversation conversation = Conversation.of(request(ChatMessage.of(Role.SYSTEM, "Be brief."),
                                                            ChatMessage.of(Role.DEVELOPER, "Use English."),
                                                            ChatMessage.of(Role.USER, "Hi")), "default");

        assertEquals("Be brief.\n\nUse English.", conversation.systemPrompt());
        assertEquals("Hi", conversation.asSingleTurn());
        assertEquals("Hi", ((JsonString) conversation.userTurn(false, Optional.empty())).getString());
        assertTrue(conversation.history().isEmpty());
    }

    @Test
    void theDefaultSystemPromptWhenNoneIsGiven() {
        assertEquals("default", Conversation.of(request(ChatMessage.of(Role.USER, "Hi")), "default").systemPrompt());
    }

    @Test
    void aHistoryIsFlattenedWithRoleLabels() {
        Conversation conversation = Conversation.of(request(ChatMessage.of(Role.USER, "What is 2+2?"),
                                                            ChatMessage.of(Role.ASSISTANT, "4"),
                                                            ChatMessage.of(Role.USER, "Times 3?")), "default");

        String turn = conversation.asSingleTurn();
        assertTrue(turn.contains("<user>\nWhat is 2+2?\n</user>"), turn);
        assertTrue(turn.contains("<assistant>\n4\n</assistant>"), turn);
        assertTrue(turn.endsWith("<user>\nTimes 3?\n</user>"), turn);
        assertEquals(List.of(new Conversation.Turn(Role.USER, "What is 2+2?"), new Conversation.Turn(Role.ASSISTANT, "4")),
                     conversation.history());
        assertEquals("Times 3?", conversation.lastUserText());
    }

    @Test
    void theLastMessageMustBeTheUsers() {
        GatewayException e = assertThrows(GatewayException.class, () -> Conversation.of(
                request(ChatMessage.of(Role.USER, "Hi"), ChatMessage.of(Role.ASSISTANT, "Hello")), "default"));

        assertEquals(400, e.status());
        assertEquals("messages", e.param().orElseThrow());
    }

    @Test
    void imagesGoIntoTheUserTurnAsImageBlocks() {
        ChatMessage withImage = new ChatMessage(Role.USER, List.of(new ContentPart.Text("look"),
                                                                   new ContentPart.Image(PIXEL, Optional.empty())),
                                                Optional.empty(), List.of(), Optional.empty());

        JsonArray content = Conversation.of(request(withImage), "default").userTurn(false, Optional.empty()).asJsonArray();

        assertEquals("look", content.getJsonObject(0).getString("text"));
        JsonObject image = content.getJsonObject(1);
        assertEquals("image", image.getString("type"));
        assertEquals("base64", image.getJsonObject("source").getString("type"));
        assertEquals("image/png", image.getJsonObject("source").getString("media_type"));
        assertEquals(PIXEL.substring(PIXEL.indexOf(',') + 1), image.getJsonObject("source").getString("data"));
    }

    @Test
    void anHttpsImageIsAUrlBlockTheUpstreamFetches() {
        ChatMessage withImage = new ChatMessage(Role.USER, List.of(new ContentPart.Image("https://example.com/a.png",
                                                                                         Optional.empty())),
                                                Optional.empty(), List.of(), Optional.empty());

        JsonObject image = Conversation.of(request(withImage), "default").userTurn(false, Optional.empty())
                .asJsonArray().getJsonObject(0);

        assertEquals("url", image.getJsonObject("source").getString("type"));
        assertEquals("https://example.com/a.png", image.getJsonObject("source").getString("url"));
    }

    @Test
    void aBrokenDataUrlIsRefusedNamingThePart() {
        ChatMessage withImage = new ChatMessage(Role.USER, List.of(new ContentPart.Text("look"),
                                                                   new ContentPart.Image("data:image/png,xyz", Optional.empty())),
                                                Optional.empty(), List.of(), Optional.empty());

        GatewayException e = assertThrows(GatewayException.class, () -> Conversation.of(request(withImage), "default"));

        assertEquals("messages[0].content[1].image_url.url", e.param().orElseThrow());
    }

    @Test
    void toolResultsAreTheNewInputAndTheirCallsTheHistory() {
        Conversation conversation = Conversation.of(request(ChatMessage.of(Role.USER, "Weather in Paris and Rome?"),
                                                            calling(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                                                                    new ToolCall("call_2", "get_weather", "{\"city\":\"Rome\"}")),
                                                            result("call_1", "sunny"), result("call_2", "rainy")), "default");

        assertEquals(Map.of("call_1", "sunny", "call_2", "rainy"), conversation.toolResults());
        assertEquals(2, conversation.history().size());
        assertEquals(List.of("call_1", "call_2"),
                     conversation.history().getLast().calls().stream().map(Conversation.Call::id).toList());
        String flattened = conversation.asSingleTurn();
        assertTrue(flattened.contains("[called tool get_weather (call call_1) with {\"city\":\"Paris\"}]"), flattened);
        assertTrue(flattened.contains("[result of tool call call_2]\nrainy"), flattened);
        assertTrue(flattened.endsWith("answer the user, or call more tools."), flattened);
    }

    @Test
    void heldCallsMatchWhateverWayTheClientSerialisesTheArguments() {
        Conversation.Turn held = Conversation.Turn.assistant("", List.of(new ToolCall("c1", "f", "{\"a\":1,\"b\":[2]}")));
        Conversation.Turn echoed = Conversation.Turn.of(calling(new ToolCall("c1", "f", "{ \"b\": [2], \"a\": 1 }")),
                                                        "messages[1]");

        assertEquals(held, echoed);
    }

    @Test
    void toolResultsMustAnswerEveryCallOfTheMessageBefore() {
        GatewayException missing = assertThrows(GatewayException.class, () -> Conversation.of(request(
                ChatMessage.of(Role.USER, "Hi"),
                calling(new ToolCall("call_1", "f", "{}"), new ToolCall("call_2", "f", "{}")),
                result("call_1", "x")), "default"));
        GatewayException unknown = assertThrows(GatewayException.class, () -> Conversation.of(request(
                ChatMessage.of(Role.USER, "Hi"), calling(new ToolCall("call_1", "f", "{}")), result("call_9", "x")),
                                                                                          "default"));

        assertEquals("messages", missing.param().orElseThrow());
        assertEquals("messages[2].tool_call_id", unknown.param().orElseThrow());
    }

    private static ChatMessage calling(ToolCall... calls) {
        return new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(), List.of(calls), Optional.empty());
    }

    private static ChatMessage result(String callId, String text) {
        return new ChatMessage(Role.TOOL, List.of(new ContentPart.Text(text)), Optional.empty(), List.of(),
                               Optional.of(callId));
    }

    @Test
    void anOversizedSystemPromptIsRefused() {
        String huge = "x".repeat(Conversation.MAX_SYSTEM_PROMPT + 1);

        assertThrows(GatewayException.class, () -> Conversation.of(request(ChatMessage.of(Role.SYSTEM, huge),
                                                                           ChatMessage.of(Role.USER, "Hi")), "default"));
    }

    static ChatRequest request(ChatMessage... messages) {
        return new ChatRequest("claude-sonnet", List.of(messages), OptionalInt.empty(), OptionalDouble.empty(),
                               OptionalDouble.empty(), List.of(), false, false, Optional.empty(), OptionalLong.empty(),
                               Map.of(), JsonValue.EMPTY_JSON_OBJECT);
    }
}
