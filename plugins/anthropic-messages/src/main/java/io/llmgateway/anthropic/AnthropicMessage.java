package io.llmgateway.anthropic;

import java.util.Optional;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Translates a whole (not streamed) Anthropic message into the same deltas its stream would give:
 * text blocks as text, each {@code tool_use} block as one tool call with its whole input as the
 * arguments, then the finish reason of its {@code stop_reason} and its usage. Thinking and other blocks
 * are not passed on.
 */
public final class AnthropicMessage {

    private AnthropicMessage() {
    }

    /**
     * Emits a message's deltas.
     *
     * @param message the Messages API's answer
     * @param sink    receives the deltas, ending with finish and usage
     * @throws GatewayException 502 for a message without content
     */
    public static void read(JsonObject message, ChatSink sink) {
        if (!(message.get("content") instanceof JsonArray content)) {
            throw GatewayException.badGateway("Anthropic answered a message without content");
        }
        int tools = 0;
        for (JsonValue value : content) {
            if (!(value instanceof JsonObject block)) {
                continue;
            }
            switch (block.getString("type", "")) {
                case "text" -> {
                    String text = block.getString("text", "");
                    if (!text.isEmpty()) {
                        sink.emit(new ChatDelta.Text(text));
                    }
                }
                case "tool_use" -> sink.emit(new ChatDelta.ToolCallFragment(
                        tools++, Optional.of(block.getString("id", "")), Optional.of(block.getString("name", "")),
                        inputOf(block).toString()));
                default -> {
                    // thinking and other blocks are not part of an OpenAI answer
                }
            }
        }
        Optional<String> stopReason = message.get("stop_reason") instanceof JsonString reason
                ? Optional.of(reason.getString()) : Optional.empty();
        sink.emit(new ChatDelta.Finish(StopReason.finishReasonOf(stopReason)));
        sink.emit(new ChatDelta.Usage(message.get("usage") instanceof JsonObject usage
                                              ? AnthropicUsage.of(usage) : AnthropicUsage.of(JsonValue.EMPTY_JSON_OBJECT)));
    }

    private static JsonValue inputOf(JsonObject toolUse) {
        JsonValue input = toolUse.get("input");
        return input == null ? JsonValue.EMPTY_JSON_OBJECT : input;
    }
}
