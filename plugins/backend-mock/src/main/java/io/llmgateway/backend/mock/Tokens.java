package io.llmgateway.backend.mock;

import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.ToolCall;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The mock's tokenizer: a token is a run of up to 8 letters or digits, or any other single character,
 * each with the whitespace before it. Not a real model's tokenizer, but counts are honest: the
 * completion's token count is the number of tokens emitted, and prompts are counted the same way.
 */
final class Tokens {

    /** Per-message framing overhead, as OpenAI counts it for chat models. */
    private static final int PER_MESSAGE = 3;
    /** Tokens that prime the assistant's reply. */
    private static final int REPLY_PRIMING = 3;
    /** What an image costs at low detail in OpenAI's accounting. */
    private static final int PER_IMAGE = 85;
    private static final int MAX_WORD = 8;

    private Tokens() {
    }

    static List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        int end;
        while ((end = tokenEnd(text, start)) >= 0) {
            tokens.add(text.substring(start, end));
            start = end;
        }
        if (start < text.length() && !tokens.isEmpty()) {
            // trailing whitespace stays with the last token so the tokens join back to the text
            tokens.set(tokens.size() - 1, tokens.getLast() + text.substring(start));
        }
        return tokens;
    }

    static int count(String text) {
        int count = 0;
        int start = 0;
        while ((start = tokenEnd(text, start)) >= 0) {
            count++;
        }
        return count;
    }

    static long countPrompt(List<ChatMessage> messages) {
        long total = REPLY_PRIMING;
        for (ChatMessage message : messages) {
            total += PER_MESSAGE;
            for (ContentPart part : message.content()) {
                total += switch (part) {
                    case ContentPart.Text(String text) -> count(text);
                    case ContentPart.Image image -> PER_IMAGE;
                };
            }
            for (ToolCall call : message.toolCalls()) {
                total += count(call.name()) + count(call.arguments());
            }
        }
        return total;
    }

    /** The tool definitions and the response format count as their JSON text, as a model would read them. */
    static long countDefinitions(JsonObject body) {
        long total = 0;
        for (String field : new String[] {"tools", "response_format"}) {
            JsonValue value = body.get(field);
            if (value != null && value.getValueType() != JsonValue.ValueType.NULL) {
                total += count(value.toString());
            }
        }
        return total;
    }

    /** The end of the token that starts at {@code start}, or -1 when only whitespace is left. */
    private static int tokenEnd(String text, int start) {
        int length = text.length();
        int i = start;
        while (i < length && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == length) {
            return -1;
        }
        if (!Character.isLetterOrDigit(text.charAt(i))) {
            return i + Character.charCount(text.codePointAt(i));
        }
        int wordStart = i;
        while (i < length && i - wordStart < MAX_WORD && Character.isLetterOrDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
