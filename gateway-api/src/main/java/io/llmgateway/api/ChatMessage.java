package io.llmgateway.api;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One message of a conversation.
 *
 * @param role       who speaks
 * @param content    the parts of the message; empty for an assistant message that only calls tools
 * @param name       an optional participant name
 * @param toolCalls  tool calls made by an assistant message
 * @param toolCallId for a {@link Role#TOOL} message, the call it answers
 */
public record ChatMessage(Role role,
                          List<ContentPart> content,
                          Optional<String> name,
                          List<ToolCall> toolCalls,
                          Optional<String> toolCallId) {

    /**
     * Validates and copies.
     */
    public ChatMessage {
        requireNonNull(role, "role is null");
        content = List.copyOf(requireNonNull(content, "content is null"));
        requireNonNull(name, "name is null");
        toolCalls = List.copyOf(requireNonNull(toolCalls, "toolCalls is null"));
        requireNonNull(toolCallId, "toolCallId is null");
    }

    /**
     * A plain text message.
     *
     * @param role who speaks
     * @param text what is said
     * @return the message
     */
    public static ChatMessage of(Role role, String text) {
        return new ChatMessage(role, List.of(new ContentPart.Text(text)), Optional.empty(), List.of(), Optional.empty());
    }

    /**
     * The text parts joined with blank lines; other parts are left out.
     *
     * @return the text of the message
     */
    public String text() {
        if (content.size() == 1 && content.getFirst() instanceof ContentPart.Text(String text)) {
            return text;
        }
        StringBuilder joined = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text(String text)) {
                if (!joined.isEmpty()) {
                    joined.append("\n\n");
                }
                joined.append(text);
            }
        }
        return joined.toString();
    }
}
