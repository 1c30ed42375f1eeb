package com.example.llm.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.Role;
import io.llmgateway.api.TokenUsage;

/**
 * Answers with the caller's last user message (after an optional prefix), one word per delta, so a
 * streaming client sees it arrive word by word. A word counts as one token, which keeps the usage
 * honest: the completion tokens are the words sent, and {@code max_tokens} cuts the answer there.
 */
final class EchoBackend implements Backend {

    /** The one model this backend serves. */
    static final String MODEL = "echo";

    private static final long CREATED = 1_767_225_600L; // 2026-01-01: fixed, so /v1/models is stable
    private static final List<ModelInfo> MODELS = List.of(new ModelInfo(MODEL, "example", CREATED));
    /** A word with the whitespace before it, so the words join back into the text. */
    private static final Pattern WORD = Pattern.compile("\\s*\\S+");

    private final String prefix;

    EchoBackend(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public List<ModelInfo> models() {
        return MODELS;
    }

    @Override
    public void chat(ChatExchange exchange, ChatSink sink) {
        ChatRequest request = exchange.request();
        List<String> words = words(prefix + lastUserText(request.messages()));
        int limit = request.maxTokens().orElse(Integer.MAX_VALUE);
        int sent = Math.min(words.size(), limit);
        for (int i = 0; i < sent; i++) {
            // No catch for ClientDisconnectedException: there is no upstream work to stop, so letting it
            // propagate ends the call, which is what the host expects.
            sink.emit(new ChatDelta.Text(words.get(i)));
        }
        sink.emit(new ChatDelta.Finish(sent < words.size() ? FinishReason.LENGTH : FinishReason.STOP));
        sink.emit(new ChatDelta.Usage(TokenUsage.of(promptTokens(request.messages()), sent)));
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (ChatMessage message : messages.reversed()) {
            if (message.role() == Role.USER) {
                return message.text().strip();
            }
        }
        // A GatewayException reaches the client as an OpenAI error: here a 400 naming the field.
        throw GatewayException.invalidRequest("The echo backend needs a user message to echo", "messages");
    }

    private static long promptTokens(List<ChatMessage> messages) {
        long tokens = 0;
        for (ChatMessage message : messages) {
            tokens += words(message.text()).size();
        }
        return tokens;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }
}
