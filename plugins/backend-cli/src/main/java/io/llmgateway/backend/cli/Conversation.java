package io.llmgateway.backend.cli;

import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;

import static java.util.Objects.requireNonNull;

/**
 * An OpenAI request as the CLI can take it: a system prompt (fixed per process) and the dialogue, which
 * must end with a user message. A session that already holds {@link #history()} gets only the last
 * message; any other session gets the whole dialogue {@link #asSingleTurn() flattened} into one user turn,
 * because the CLI accepts only user messages on stdin.
 *
 * @param systemPrompt the system and developer messages joined, or the configured default
 * @param turns        the dialogue, oldest first, ending with a user turn
 */
record Conversation(String systemPrompt, List<Turn> turns) {

    /** Longest system prompt passed on the command line (Linux limits one argument to 128 KiB). */
    static final int MAX_SYSTEM_PROMPT = 100_000;

    Conversation {
        requireNonNull(systemPrompt, "systemPrompt is null");
        turns = List.copyOf(turns);
        if (turns.isEmpty() || turns.getLast().role() != Role.USER) {
            throw new IllegalArgumentException("a conversation ends with a user turn");
        }
    }

    /**
     * Reads a request's messages.
     *
     * @param request             the request
     * @param defaultSystemPrompt used when the request has no system or developer message
     * @return the conversation
     * @throws GatewayException 400 for what the CLI cannot take (images, a last message that is not the user's)
     */
    static Conversation of(ChatRequest request, String defaultSystemPrompt) {
        List<String> instructions = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        List<ChatMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            for (int p = 0; p < message.content().size(); p++) {
                if (message.content().get(p) instanceof ContentPart.Image) {
                    throw GatewayException.invalidRequest("The cli backend does not accept images; use the api backend"
                                                                  + " for image input",
                                                          "messages[" + i + "].content[" + p + "]");
                }
            }
            if (message.role().isInstruction()) {
                instructions.add(message.text());
            } else {
                turns.add(new Turn(message.role(), textOf(message)));
            }
        }
        if (turns.isEmpty() || turns.getLast().role() != Role.USER) {
            throw GatewayException.invalidRequest("The cli backend answers a user message: the last message (other than"
                                                          + " system or developer messages) must have role 'user'",
                                                  "messages");
        }
        String systemPrompt = instructions.isEmpty() ? defaultSystemPrompt : String.join("\n\n", instructions);
        if (systemPrompt.length() > MAX_SYSTEM_PROMPT) {
            throw GatewayException.invalidRequest("The cli backend accepts system prompts of up to " + MAX_SYSTEM_PROMPT
                                                          + " characters", "messages");
        }
        return new Conversation(systemPrompt, turns);
    }

    /** Everything before the last user message. */
    List<Turn> history() {
        return turns.subList(0, turns.size() - 1);
    }

    /** The user message to answer. */
    String lastUserText() {
        return turns.getLast().text();
    }

    /** The whole dialogue as one user turn, each message labelled by its role. */
    String asSingleTurn() {
        if (turns.size() == 1) {
            return lastUserText();
        }
        StringBuilder text = new StringBuilder("This conversation began elsewhere. Here it is so far, oldest message first:\n\n");
        for (Turn turn : history()) {
            String tag = turn.role().wireName();
            text.append('<').append(tag).append(">\n").append(turn.text()).append("\n</").append(tag).append(">\n\n");
        }
        text.append("Reply to the user's latest message, which follows.\n\n<user>\n")
                .append(lastUserText())
                .append("\n</user>");
        return text.toString();
    }

    private static String textOf(ChatMessage message) {
        if (message.toolCalls().isEmpty()) {
            return message.text();
        }
        StringBuilder text = new StringBuilder(message.text());
        for (ToolCall call : message.toolCalls()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append("[called tool ").append(call.name()).append(" with ").append(call.arguments()).append(']');
        }
        return text.toString();
    }

    /**
     * One message of the dialogue.
     *
     * @param role who spoke
     * @param text what was said
     */
    record Turn(Role role, String text) {
        Turn {
            requireNonNull(role, "role is null");
            requireNonNull(text, "text is null");
        }
    }
}
