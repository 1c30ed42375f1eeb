package io.llmgateway.backend.api;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Chat requests for translation tests.
 */
final class Requests {

    private Requests() {
    }

    static ChatRequest of(List<ChatMessage> messages) {
        return of(messages, JsonValue.EMPTY_JSON_OBJECT);
    }

    static ChatRequest of(List<ChatMessage> messages, JsonObject body) {
        return new ChatRequest("claude-sonnet", messages, OptionalInt.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                               List.of(), false, false, Optional.empty(), OptionalLong.empty(), Map.of(), body);
    }

    static ChatRequest withSampling(List<ChatMessage> messages, int maxTokens, double temperature, double topP,
                                    List<String> stop, String user) {
        return new ChatRequest("claude-sonnet", messages, OptionalInt.of(maxTokens), OptionalDouble.of(temperature),
                               OptionalDouble.of(topP), stop, false, false, Optional.of(user), OptionalLong.empty(),
                               Map.of(), JsonValue.EMPTY_JSON_OBJECT);
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
