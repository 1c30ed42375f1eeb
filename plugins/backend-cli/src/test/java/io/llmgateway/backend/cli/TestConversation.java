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

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestConversation {

    @Test
    void systemAndDeveloperMessagesBecomeTheSystemPrompt() {
        Conversation conversation = Conversation.of(request(ChatMessage.of(Role.SYSTEM, "Be brief."),
                                                            ChatMessage.of(Role.DEVELOPER, "Use English."),
                                                            ChatMessage.of(Role.USER, "Hi")), "default");

        assertEquals("Be brief.\n\nUse English.", conversation.systemPrompt());
        assertEquals("Hi", conversation.asSingleTurn());
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
    void imagesAreRefusedNamingThePart() {
        ChatMessage withImage = new ChatMessage(Role.USER, List.of(new ContentPart.Text("look"),
                                                                   new ContentPart.Image("https://x/y.png", Optional.empty())),
                                                Optional.empty(), List.of(), Optional.empty());

        GatewayException e = assertThrows(GatewayException.class, () -> Conversation.of(request(withImage), "default"));

        assertEquals("messages[0].content[1]", e.param().orElseThrow());
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
