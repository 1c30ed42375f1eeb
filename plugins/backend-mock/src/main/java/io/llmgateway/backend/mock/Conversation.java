package io.llmgateway.backend.mock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;

/**
 * What the mock reads from a conversation: the last user message, the tool results that end it, and a
 * text that stands for all of it (what every answer's choices derive from).
 *
 * @param messages the request's messages, never empty
 */
record Conversation(List<ChatMessage> messages) {

    /**
     * Copies.
     */
    Conversation {
        messages = List.copyOf(messages);
    }

    /**
     * The index of the last user message, or of the last message when no user spoke.
     *
     * @return the index
     */
    int lastUserIndex() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return i;
            }
        }
        return messages.size() - 1;
    }

    String lastUserText() {
        return messages.get(lastUserIndex()).text();
    }

    boolean endsWithToolResults() {
        return messages.getLast().role() == Role.TOOL;
    }

    /**
     * The tool messages that end the conversation, each with the name of the function it answers (from the
     * assistant's call with its {@code tool_call_id}, else {@code tool}).
     *
     * @return the results in order; empty unless the conversation ends with tool results
     */
    List<ToolResult> trailingToolResults() {
        int first = messages.size();
        while (first > 0 && messages.get(first - 1).role() == Role.TOOL) {
            first--;
        }
        Map<String, String> names = new HashMap<>();
        for (int i = first - 1; i >= 0; i--) {
            if (!messages.get(i).toolCalls().isEmpty()) {
                for (ToolCall call : messages.get(i).toolCalls()) {
                    names.putIfAbsent(call.id(), call.name());
                }
                break;
            }
        }
        List<ToolResult> results = new ArrayList<>();
        for (int i = first; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            results.add(new ToolResult(message.toolCallId().map(names::get).orElse("tool"), message.text()));
        }
        return results;
    }

    /**
     * Everything that makes the conversation what it is, as one text.
     *
     * @return roles, texts, images, tool calls and their ids
     */
    String key() {
        StringBuilder key = new StringBuilder();
        for (ChatMessage message : messages) {
            key.append('\u001e').append(message.role().wireName()).append('\u001f');
            for (ContentPart part : message.content()) {
                switch (part) {
                    case ContentPart.Text(String text) -> key.append(text);
                    case ContentPart.Image image -> key.append("[image ").append(image.url().hashCode()).append(']');
                }
                key.append('\u001f');
            }
            message.toolCallId().ifPresent(id -> key.append("tool_call_id=").append(id));
            for (ToolCall call : message.toolCalls()) {
                key.append("call ").append(call.id()).append(' ').append(call.name()).append(' ').append(call.arguments());
            }
        }
        return key.toString();
    }

    /**
     * A tool's answer.
     *
     * @param name the function that was called
     * @param text what it returned
     */
    record ToolResult(String name, String text) {
    }
}
