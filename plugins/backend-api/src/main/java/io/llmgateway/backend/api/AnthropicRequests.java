package io.llmgateway.backend.api;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.llmgateway.anthropic.AnthropicContent;
import io.llmgateway.anthropic.ResponseFormat;
import io.llmgateway.anthropic.StructuredOutput;
import io.llmgateway.anthropic.StructuredOutputs;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Translates an OpenAI chat request into an Anthropic Messages API request: the messages, images, tool
 * calls, tool results, {@code tools} and {@code tool_choice} as {@link AnthropicContent} maps them (the
 * mapping the cli backend shares); {@code max_tokens} (default configurable), {@code temperature} (capped
 * at Anthropic's 1.0), {@code top_p}, {@code stop} as {@code stop_sequences}, {@code user} as
 * {@code metadata.user_id}; {@code response_format} as native structured outputs or a forced answer tool
 * ({@link StructuredOutputs}). {@code logprobs} is refused with a 400.
 */
final class AnthropicRequests {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final double MAX_TEMPERATURE = 1.0;

    private AnthropicRequests() {
    }

    /**
     * Builds the request.
     *
     * @param request          the client's request
     * @param model            the Anthropic model id
     * @param defaultMaxTokens {@code max_tokens} when the client sets none
     * @param stream           whether to ask for a stream
     * @param nativeStructured whether a JSON schema may go as native structured outputs (the model has them)
     * @return the request
     * @throws GatewayException 400 for what cannot be translated
     */
    static Built build(ChatRequest request, String model, int defaultMaxTokens, boolean stream,
                       boolean nativeStructured) {
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
        Optional<JsonArray> tools = AnthropicContent.tools(body);
        Optional<JsonObject> toolChoice = AnthropicContent.toolChoice(body);
        Set<String> toolNames = tools.stream().flatMap(list -> list.getValuesAs(JsonObject.class).stream())
                .map(tool -> tool.getString("name")).collect(Collectors.toSet());
        StructuredOutput output = StructuredOutputs.plan(ResponseFormat.of(body), nativeStructured, toolNames);
        switch (output) {
            case StructuredOutput.None none -> {
                tools.ifPresent(list -> anthropic.add("tools", list));
                toolChoice.ifPresent(choice -> anthropic.add("tool_choice", choice));
            }
            case StructuredOutput.Native structured -> {
                tools.ifPresent(list -> anthropic.add("tools", list));
                toolChoice.ifPresent(choice -> anthropic.add("tool_choice", choice));
                anthropic.add("output_config", structured.outputConfig());
            }
            case StructuredOutput.AnswerTool tool -> {
                JsonArrayBuilder all = JSON.createArrayBuilder(tools.orElse(JsonValue.EMPTY_JSON_ARRAY)).add(tool.tool());
                anthropic.add("tools", all);
                anthropic.add("tool_choice", tool.toolChoice(toolChoice, tools.isPresent()));
            }
        }
        if (stream) {
            anthropic.add("stream", true);
        }
        return new Built(anthropic.build().toString(), output);
    }

    /**
     * A request for the Messages API.
     *
     * @param json   the body
     * @param output how it asks for the response format
     */
    record Built(String json, StructuredOutput output) {
        /** {@return the forced tool whose input is the answer, when the response format went as one} */
        Optional<String> answerTool() {
            return output instanceof StructuredOutput.AnswerTool tool ? Optional.of(tool.name()) : Optional.empty();
        }
    }

    private static void refuseUntranslatable(JsonObject body) {
        if (body.get("logprobs") == JsonValue.TRUE) {
            throw GatewayException.invalidRequest("The Anthropic API does not return logprobs", "logprobs");
        }
    }
}
