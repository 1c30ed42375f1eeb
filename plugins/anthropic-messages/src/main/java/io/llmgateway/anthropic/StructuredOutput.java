package io.llmgateway.anthropic;

import java.util.Optional;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import static java.util.Objects.requireNonNull;

/**
 * How an OpenAI {@code response_format} reaches Anthropic, as {@link StructuredOutputs#plan} decides:
 * nothing, native structured outputs, or a forced tool whose input is the answer.
 */
public sealed interface StructuredOutput {

    /** Nothing to add: the answer is text. */
    record None() implements StructuredOutput {
    }

    /**
     * Native structured outputs.
     *
     * @param outputConfig the request's {@code output_config}: {@code {"format":{"type":"json_schema","schema":...}}}
     */
    record Native(JsonObject outputConfig) implements StructuredOutput {
        /** Validates. */
        public Native {
            requireNonNull(outputConfig, "outputConfig is null");
        }
    }

    /**
     * One more tool, which the model is made to call; its input is the answer.
     *
     * @param name the tool's name, unlike any of the client's tools
     * @param tool the tool, for the request's {@code tools}
     */
    record AnswerTool(String name, JsonObject tool) implements StructuredOutput {
        private static final JsonProvider JSON = JsonProvider.provider();

        /** Validates. */
        public AnswerTool {
            requireNonNull(name, "name is null");
            requireNonNull(tool, "tool is null");
        }

        /**
         * The request's {@code tool_choice}. Without client tools, or with {@code tool_choice: none}, the
         * answer tool is forced; with client tools the model must call a tool ({@code any}): one of the
         * client's, which the client runs, or the answer tool. A client's named choice stays.
         *
         * @param clientChoice the client's tool choice as Anthropic's ({@link AnthropicContent#toolChoice})
         * @param clientTools  whether the client sent tools
         * @return the tool choice
         */
        public JsonObject toolChoice(Optional<JsonObject> clientChoice, boolean clientTools) {
            String clientType = clientChoice.map(choice -> choice.getString("type", "auto")).orElse("auto");
            if (clientType.equals("tool") && clientTools) {
                return clientChoice.orElseThrow();
            }
            JsonObjectBuilder choice = JSON.createObjectBuilder();
            if (!clientTools || clientType.equals("none")) {
                choice.add("type", "tool").add("name", name);
            } else {
                choice.add("type", "any");
            }
            clientChoice.filter(c -> c.getBoolean("disable_parallel_tool_use", false))
                    .ifPresent(c -> choice.add("disable_parallel_tool_use", true));
            return choice.build();
        }
    }
}
