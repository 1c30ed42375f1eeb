package io.llmgateway.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import jakarta.json.JsonObject;

import static java.util.Objects.requireNonNull;

/**
 * A validated OpenAI chat completion request.
 *
 * <p>The host validates the fields it models; {@link #body()} is the request exactly as the client sent it,
 * so a backend can read what the host does not model ({@code tools}, {@code response_format}, ...).
 *
 * @param model        the model asked for
 * @param messages     the conversation, never empty
 * @param maxTokens    {@code max_completion_tokens}, else {@code max_tokens}
 * @param temperature  sampling temperature, 0 to 2
 * @param topP         nucleus sampling, 0 to 1
 * @param stop         up to 4 stop sequences
 * @param stream       whether the client asked for server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk
 * @param user         the caller's end-user id
 * @param seed         sampling seed
 * @param metadata     the caller's metadata
 * @param body         the request as received
 */
public record ChatRequest(String model,
                          List<ChatMessage> messages,
                          OptionalInt maxTokens,
                          OptionalDouble temperature,
                          OptionalDouble topP,
                          List<String> stop,
                          boolean stream,
                          boolean includeUsage,
                          Optional<String> user,
                          OptionalLong seed,
                          Map<String, String> metadata,
                          JsonObject body) {

    /**
     * Validates and copies.
     */
    public ChatRequest {
        requireNonNull(model, "model is null");
        messages = List.copyOf(requireNonNull(messages, "messages is null"));
        requireNonNull(maxTokens, "maxTokens is null");
        requireNonNull(temperature, "temperature is null");
        requireNonNull(topP, "topP is null");
        stop = List.copyOf(requireNonNull(stop, "stop is null"));
        requireNonNull(user, "user is null");
        requireNonNull(seed, "seed is null");
        metadata = Map.copyOf(requireNonNull(metadata, "metadata is null"));
        requireNonNull(body, "body is null");
    }

    /**
     * The request for another model, as a router or an alias table would make it.
     *
     * @param otherModel the model to use
     * @return a copy with the model replaced
     */
    public ChatRequest withModel(String otherModel) {
        return new ChatRequest(otherModel, messages, maxTokens, temperature, topP, stop, stream, includeUsage,
                               user, seed, metadata, body);
    }
}
