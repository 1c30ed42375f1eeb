package io.llmgateway.backend.cli;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.llmgateway.anthropic.AnthropicContent;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import static java.util.Objects.requireNonNull;

/**
 * An OpenAI request as the CLI can take it: a system prompt (fixed per process) and the dialogue, which
 * ends with the request's new input: a user message, or the {@code tool} messages answering the tool calls
 * of the assistant message before them. A session that already holds {@link #history()} gets only that
 * input (the last user message, or the tool results for the calls it is waiting on); any other session gets
 * the whole dialogue {@link #userTurn flattened} into one user turn, because the CLI accepts only user
 * messages on stdin. Images ({@code image_url}: {@code data:} URLs as base64 blocks, http(s) URLs as url
 * blocks, which the upstream fetches) go into that user turn as image blocks.
 *
 * @param systemPrompt the system and developer messages joined, or the configured default
 * @param turns        the dialogue, oldest first, ending with a user turn or with tool results
 */
record Conversation(String systemPrompt, List<Turn> turns) {

    /** Longest system prompt passed on the command line (Linux limits one argument to 128 KiB). */
    static final int MAX_SYSTEM_PROMPT = 100_000;

    Conversation {
        requireNonNull(systemPrompt, "systemPrompt is null");
        turns = List.copyOf(turns);
        if (turns.isEmpty() || (turns.getLast().role() != Role.USER && turns.getLast().role() != Role.TOOL)) {
            throw new IllegalArgumentException("a conversation ends with a user turn or tool results");
        }
    }

    /**
     * Reads a request's messages.
     *
     * @param request             the request
     * @param defaultSystemPrompt used when the request has no system or developer message
     * @return the conversation
     * @throws GatewayException 400 for what the CLI cannot take (a last message that is not the user's or a tool
     *                          result, tool results that do not answer the calls before them, a bad image)
     */
    static Conversation of(ChatRequest request, String defaultSystemPrompt) {
        List<String> instructions = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<ChatMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message.role().isInstruction()) {
                instructions.add(message.text());
            } else {
                turns.add(Turn.of(message, "messages[" + i + "]"));
                positions.add(i);
            }
        }
        if (turns.isEmpty() || (turns.getLast().role() != Role.USER && turns.getLast().role() != Role.TOOL)) {
            throw GatewayException.invalidRequest("The cli backend answers a user message or tool results: the last"
                                                          + " message (other than system or developer messages) must"
                                                          + " have role 'user' or 'tool'", "messages");
        }
        checkToolResults(turns, positions);
        String systemPrompt = instructions.isEmpty() ? defaultSystemPrompt : String.join("\n\n", instructions);
        if (systemPrompt.length() > MAX_SYSTEM_PROMPT) {
            throw GatewayException.invalidRequest("The cli backend accepts system prompts of up to " + MAX_SYSTEM_PROMPT
                                                          + " characters", "messages");
        }
        return new Conversation(systemPrompt, turns);
    }

    /** Everything before the request's new input (its last user message, or its trailing tool results). */
    List<Turn> history() {
        return turns.subList(0, turns.size() - inputSize());
    }

    /**
     * The results the request brings for the tool calls of the assistant message before them, by call id, in
     * order; empty when the request ends with a user message.
     */
    Map<String, String> toolResults() {
        Map<String, String> results = new LinkedHashMap<>();
        if (turns.getLast().role() == Role.TOOL) {
            turns.subList(turns.size() - inputSize(), turns.size())
                    .forEach(turn -> results.put(turn.toolCallId().orElseThrow(), turn.text()));
        }
        return results;
    }

    /** The text of the last user message (empty when the request ends with tool results). */
    String lastUserText() {
        return turns.getLast().role() == Role.USER ? turns.getLast().text() : "";
    }

    /** The whole dialogue as the text of one user turn, images left out. */
    String asSingleTurn() {
        return render(false, Optional.empty()).text();
    }

    /**
     * The user turn to send: the last user message alone (to a session holding everything before it), or the
     * whole dialogue, each message labelled by its role. A string when it has no images, else content blocks.
     *
     * @param lastOnly    whether the session holds the history, so only the last user message is sent
     * @param instruction a note for the model appended to the turn ({@code tool_choice})
     * @return the message's {@code content}
     */
    JsonValue userTurn(boolean lastOnly, Optional<String> instruction) {
        return render(lastOnly && turns.getLast().role() == Role.USER, instruction).build();
    }

    private Content render(boolean lastOnly, Optional<String> instruction) {
        Content content = new Content();
        if (lastOnly || turns.size() == 1) {
            turns.getLast().appendTo(content);
        } else {
            content.text("This conversation began elsewhere. Here it is so far, oldest message first:\n\n");
            boolean endsWithUser = turns.getLast().role() == Role.USER;
            List<Turn> shown = endsWithUser ? turns.subList(0, turns.size() - 1) : turns;
            for (Turn turn : shown) {
                tagged(content, turn);
            }
            if (endsWithUser) {
                content.text("Reply to the user's latest message, which follows.\n\n<user>\n");
                turns.getLast().appendTo(content);
                content.text("\n</user>");
            } else {
                content.text("Go on from the tool results above: answer the user, or call more tools.");
            }
        }
        instruction.ifPresent(note -> content.text("\n\n" + note));
        return content;
    }

    private static void tagged(Content content, Turn turn) {
        String tag = turn.role().wireName();
        content.text("<" + tag + ">\n");
        turn.appendTo(content);
        content.text("\n</" + tag + ">\n\n");
    }

    /** How many turns at the end are the request's new input: the last user turn, or all trailing tool results. */
    private int inputSize() {
        int size = 1;
        if (turns.getLast().role() == Role.TOOL) {
            while (size < turns.size() && turns.get(turns.size() - 1 - size).role() == Role.TOOL) {
                size++;
            }
        }
        return size;
    }

    /** Trailing tool results must answer each call of the assistant message before them, once. */
    private static void checkToolResults(List<Turn> turns, List<Integer> positions) {
        if (turns.getLast().role() != Role.TOOL) {
            return;
        }
        int first = turns.size() - 1;
        while (first > 0 && turns.get(first - 1).role() == Role.TOOL) {
            first--;
        }
        if (first == 0 || turns.get(first - 1).role() != Role.ASSISTANT || turns.get(first - 1).calls().isEmpty()) {
            throw GatewayException.invalidRequest("Tool messages must follow the assistant message whose tool_calls they"
                                                          + " answer", "messages[" + positions.get(first) + "]");
        }
        Set<String> open = new HashSet<>();
        turns.get(first - 1).calls().forEach(call -> open.add(call.id()));
        for (int t = first; t < turns.size(); t++) {
            if (!open.remove(turns.get(t).toolCallId().orElseThrow())) {
                throw GatewayException.invalidRequest("This tool message answers no open tool call of the assistant"
                                                              + " message before it", "messages[" + positions.get(t)
                                                              + "].tool_call_id");
            }
        }
        if (!open.isEmpty()) {
            throw GatewayException.invalidRequest("An assistant message with 'tool_calls' must be followed by tool"
                                                          + " messages answering each call; missing: "
                                                          + String.join(", ", open), "messages");
        }
    }

    /**
     * One message of the dialogue. Two turns are equal when a session holding one holds the other: tool call
     * arguments are compared as JSON values, since clients re-serialise them.
     *
     * @param role       who spoke
     * @param text       what was said (the text parts joined)
     * @param images     the {@code image_url} URLs of a user message
     * @param calls      the tool calls of an assistant message
     * @param toolCallId for a tool result, the call it answers
     */
    record Turn(Role role, String text, List<String> images, List<Call> calls, Optional<String> toolCallId) {
        Turn {
            requireNonNull(role, "role is null");
            requireNonNull(text, "text is null");
            images = List.copyOf(images);
            calls = List.copyOf(calls);
            requireNonNull(toolCallId, "toolCallId is null");
        }

        /** A turn of text only. */
        Turn(Role role, String text) {
            this(role, text, List.of(), List.of(), Optional.empty());
        }

        /** The assistant's answer as a session holds it: its text and the calls it made. */
        static Turn assistant(String text, List<ToolCall> calls) {
            return new Turn(Role.ASSISTANT, text, List.of(), calls.stream().map(Call::of).toList(), Optional.empty());
        }

        static Turn of(ChatMessage message, String path) {
            List<String> images = new ArrayList<>();
            for (int p = 0; p < message.content().size(); p++) {
                if (message.content().get(p) instanceof ContentPart.Image image) {
                    AnthropicContent.image(image.url(), path + ".content[" + p + "].image_url.url"); // validates
                    images.add(image.url());
                }
            }
            return new Turn(message.role(), message.text(), images, message.toolCalls().stream().map(Call::of).toList(),
                            message.role() == Role.TOOL ? message.toolCallId() : Optional.empty());
        }

        private void appendTo(Content content) {
            if (role == Role.TOOL) {
                content.text("[result of tool call " + toolCallId.orElse("?") + "]\n");
            }
            content.text(text);
            images.forEach(content::image);
            for (Call call : calls) {
                content.text((text.isEmpty() ? "" : "\n") + "[called tool " + call.name() + " (call " + call.id()
                                     + ") with " + call.arguments() + "]");
            }
        }
    }

    /**
     * A tool call of an assistant turn.
     *
     * @param id        the call's id
     * @param name      the function
     * @param arguments the arguments as a JSON value (a string when they are not JSON)
     */
    record Call(String id, String name, JsonValue arguments) {
        Call {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(arguments, "arguments is null");
        }

        static Call of(ToolCall call) {
            return new Call(call.id(), call.name(), parsed(call.arguments()));
        }

        private static JsonValue parsed(String arguments) {
            try (JsonReader reader = CliProcess.JSON.createReader(new StringReader(arguments))) {
                return reader.readValue();
            } catch (RuntimeException e) {
                return CliProcess.JSON.createValue(arguments);
            }
        }
    }

    /** A user turn being written: text, with images between. */
    private static final class Content {
        private final List<Object> pieces = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        void text(String more) {
            text.append(more);
        }

        void image(String url) {
            flush();
            pieces.add(new ContentPart.Image(url, Optional.empty()));
        }

        String text() {
            StringBuilder all = new StringBuilder();
            pieces.stream().filter(String.class::isInstance).forEach(all::append);
            return all.append(text).toString();
        }

        JsonValue build() {
            flush();
            if (pieces.stream().noneMatch(ContentPart.Image.class::isInstance)) {
                return CliProcess.JSON.createValue(String.join("", pieces.stream().map(String.class::cast).toList()));
            }
            JsonArrayBuilder blocks = CliProcess.JSON.createArrayBuilder();
            for (Object piece : pieces) {
                if (piece instanceof ContentPart.Image image) {
                    blocks.add(AnthropicContent.image(image.url(), "messages"));
                } else {
                    blocks.add(CliProcess.JSON.createObjectBuilder().add("type", "text").add("text", (String) piece));
                }
            }
            return blocks.build();
        }

        private void flush() {
            if (!text.isEmpty()) {
                pieces.add(text.toString());
                text.setLength(0);
            }
        }
    }
}
