package io.llmgateway.backend.api;

import io.llmgateway.anthropic.AnthropicContent;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Translates an OpenAI chat request into an Anthropic Messages API request: the messages, images, tool
 * calls, tool results, {@code tools} and {@code tool_choice} as {@link AnthropicContent} maps them (the
 * mapping the cli backend shares); {@code max_tokens} (default configurable), {@code temperature} (capped
 * at Anthropic's 1.0), {@code top_p}, {@code stop} as {@code stop_sequences}, {@code user} as
 * {@code metadata.user_id}. A {@code response_format} other than text and {@code logprobs} are refused
 * with a 400.
 */
final class AnthropicRequests {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final double MAX_TEMPERATURE = 1.0;

    private AnthropicRequests() {
    }

    /**
     * Builds the request body.
     *
     * @param request          the client's request
     * @param model            the Anthropic model id
     * @param defaultMaxTokens {@code max_tokens} when the client sets none
     * @param stream           whether to ask for a stream
     * @return the JSON body
     * @throws GatewayException 400 for what cannot be translated
     */
    static String build(ChatRequest request, String model, int defaultMaxTokens, boolean stream) {
        JsonObject body = request.body();
        refuseUntranslatable(body);
        JsonObjectBuilder anthropic = JSON.createObjectBuilder()
                .add("model", model)
                .add("max_tokens", request.maxTokens().orElse(defaultMaxTokens));
        AnthropicContent.system(request.messages()).ifPresent(system -> anthropic.add("system", system));
        anthropic.add("messages", AnthropicContent.messages(request.messages()));
        request.temperature().ifPresent(t -> anthropic.add("temperature", Math.min(t, MAX_TEMPERATURE)));
        request.topP().ifPresent(p -> anthropic.add("top_p", p));
        if (!request.stop().isEmpty()) {
            anthropic.add("stop_sequences", JSON.createArrayBuilder(request.stop()));
        }
        request.user().ifPresent(user -> anthropic.add("metadata", JSON.createObjectBuilder().add("user_id", user)));
        AnthropicContent.tools(body).ifPresent(tools -> anthropic.add("tools", tools));
        AnthropicContent.toolChoice(body).ifPresent(choice -> anthropic.add("tool_choice", choice));
        if (stream) {
            anthropic.add("stream", true);
        }
        return anthropic.build().toString();
    }

    private static void refuseUntranslatable(JsonObject body) {
        if (body.get("response_format") instanceof JsonObject format && !"text".equals(format.getString("type", "text"))) {
            throw GatewayException.invalidRequest("The Anthropic API has no 'response_format'; describe the JSON you"
                                                          + " want in the prompt, or use tools for structured output",
                                                  "response_format");
        }
        if (body.get("logprobs") == JsonValue.TRUE) {
            throw GatewayException.invalidRequest("The Anthropic API does not return logprobs", "logprobs");
        }
    }
}
