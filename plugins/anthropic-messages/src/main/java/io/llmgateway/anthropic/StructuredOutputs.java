package io.llmgateway.anthropic;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

/**
 * Decides how an OpenAI {@code response_format} reaches Anthropic. A JSON schema goes as native
 * structured outputs ({@code output_config.format}, generally available, no beta header) when the model
 * has them and the schema has a {@linkplain NativeSchema native form}; otherwise, and always for
 * {@code json_object} (a native schema cannot leave an object open), as one forced tool whose input
 * schema is the schema and whose input is the answer ({@link StructuredOutput.AnswerTool}).
 */
public final class StructuredOutputs {

    /** The answer tool's name, unless a client tool has it. */
    public static final String ANSWER_TOOL = "json_answer";

    /** Claude model ids as {@code claude-<family>-<major>[-<minor>]...}; older ids start with the version. */
    private static final Pattern MODEL_VERSION = Pattern.compile("^claude-[a-z]+-(\\d+)(?:-(\\d{1,2}))?(?!\\d)");
    private static final JsonProvider JSON = JsonProvider.provider();

    private StructuredOutputs() {
    }

    /**
     * Whether a model has native structured outputs, by the rule of Anthropic's documentation: the Claude
     * 4.5 generation and later (Opus, Sonnet and Haiku 4.5, 4.6, ..., 5.x); Claude 3.x, 4 and 4.1 do not.
     *
     * @param modelId the Anthropic model id, such as {@code claude-sonnet-4-5-20250929}
     * @return true for 4.5 and later
     */
    public static boolean nativeByDefault(String modelId) {
        Matcher version = MODEL_VERSION.matcher(modelId);
        if (!version.find()) {
            return false;
        }
        int major = Integer.parseInt(version.group(1));
        int minor = version.group(2) == null ? 0 : Integer.parseInt(version.group(2));
        return major > 4 || major == 4 && minor >= 5;
    }

    /**
     * Plans a request's structured output.
     *
     * @param format      the request's response format
     * @param nativeModel whether the model takes native structured outputs
     * @param clientTools the names of the client's tools
     * @return what to add to the request
     */
    public static StructuredOutput plan(ResponseFormat format, boolean nativeModel, Set<String> clientTools) {
        return switch (format) {
            case ResponseFormat.Text text -> new StructuredOutput.None();
            case ResponseFormat.AnyObject any -> answerTool(Optional.empty(),
                                                            JSON.createObjectBuilder().add("type", "object").build(),
                                                            clientTools);
            case ResponseFormat.Schema schema -> {
                Optional<JsonObject> nativeSchema = nativeModel ? NativeSchema.of(schema.schema()) : Optional.empty();
                if (nativeSchema.isPresent()) {
                    yield new StructuredOutput.Native(JSON.createObjectBuilder()
                                             .add("format", JSON.createObjectBuilder()
                                                     .add("type", "json_schema")
                                                     .add("schema", nativeSchema.get()))
                                             .build());
                }
                JsonObject input = JSON.createObjectBuilder(schema.schema()).remove("$schema").build();
                yield answerTool(schema.description().or(() -> Optional.of("The answer (" + schema.name() + ")")),
                                 input, clientTools);
            }
        };
    }

    private static StructuredOutput.AnswerTool answerTool(Optional<String> description, JsonObject inputSchema, Set<String> clientTools) {
        String name = ANSWER_TOOL;
        for (int n = 2; clientTools.contains(name); n++) {
            name = ANSWER_TOOL + "_" + n;
        }
        JsonObject tool = JSON.createObjectBuilder()
                .add("name", name)
                .add("description", description.orElse("The answer")
                        + ". Call this tool once with the whole answer as its input; that input is the reply.")
                .add("input_schema", inputSchema)
                .build();
        return new StructuredOutput.AnswerTool(name, tool);
    }
}
