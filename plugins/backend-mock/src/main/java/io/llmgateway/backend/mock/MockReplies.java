package io.llmgateway.backend.mock;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.ToolCall;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Decides the mock's reply to a request, deterministically: the same request always gets the same reply.
 * Tool calls as {@link MockTools} chooses them, with arguments generated from each tool's schema; after
 * tool results a text that quotes them; else the echo of the last user message (or
 * {@code LLM_MOCK_RESPONSE}). A {@code json_schema} response format turns the content into a document
 * valid against the schema, made of the input's words; {@code json_object} into {@code {"answer": text}}
 * (or the fixed answer itself when it is a JSON object).
 */
final class MockReplies {

    private static final int ECHO_LIMIT = 200;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final JsonProvider JSON = JsonProvider.provider();

    private final Optional<String> fixedAnswer;

    MockReplies(Optional<String> fixedAnswer) {
        this.fixedAnswer = fixedAnswer;
    }

    MockReply reply(ChatRequest request) {
        Conversation conversation = new Conversation(request.messages());
        boolean afterTools = conversation.endsWithToolResults();
        MockTools tools = MockTools.of(request.body());
        String format = formatType(request.body());
        if (tools.tools().isEmpty() && !format.equals("json_schema")) {
            // nothing to generate: no seed to derive (plain chat stays as cheap as it was)
            String text = text(request.model(), conversation, afterTools);
            return new MockReply.Content(format.equals("json_object") ? jsonObject(text) : text);
        }
        Seed seed = Seed.of(request.model() + conversation.key());
        Words words = Words.of(afterTools ? String.join(" ", conversation.trailingToolResults().stream()
                .map(Conversation.ToolResult::text).toList()) : conversation.lastUserText());

        List<String> arguments = new ArrayList<>();
        for (MockTools.Tool tool : tools.tools()) {
            // every tool's schema is read, so a broken one is reported whichever is called
            arguments.add(tool.parameters()
                                  .map(schema -> SchemaInstances.generate(schema, tool.param(), seed.derive("tool " + tool.name()),
                                                                          words).toString())
                                  .orElse("{}"));
        }
        List<MockTools.Tool> toCall = tools.toCall(conversation.lastUserText(), afterTools);
        if (!toCall.isEmpty()) {
            List<ToolCall> calls = new ArrayList<>();
            for (MockTools.Tool tool : toCall) {
                String id = callId(seed.derive("call " + calls.size() + " " + tool.name()));
                calls.add(new ToolCall(id, tool.name(), arguments.get(tools.tools().indexOf(tool))));
            }
            return new MockReply.Calls(calls);
        }

        String text = text(request.model(), conversation, afterTools);
        return new MockReply.Content(switch (format) {
            case "json_schema" -> schema(request.body())
                    .map(schema -> SchemaInstances.generate(schema, "response_format.json_schema.schema",
                                                            seed.derive("response_format"), words).toString())
                    .orElseGet(() -> jsonObject(text));
            case "json_object" -> jsonObject(text);
            default -> text;
        });
    }

    private String text(String model, Conversation conversation, boolean afterTools) {
        return fixedAnswer.orElseGet(() -> afterTools ? usingResults(model, conversation) : answerTo(model, conversation));
    }

    private static String answerTo(String model, Conversation conversation) {
        int index = conversation.lastUserIndex();
        ChatMessage message = conversation.messages().get(index);
        StringBuilder said = new StringBuilder(echo(message.text()));
        for (int i = 0; i < message.content().size(); i++) {
            if (message.content().get(i) instanceof ContentPart.Image image) {
                said.append(" [image: ")
                        .append(Images.describe(image, "messages[" + index + "].content[" + i + "].image_url.url"))
                        .append(']');
            }
        }
        return "Mock answer from " + model + " to: " + said;
    }

    private static String usingResults(String model, Conversation conversation) {
        List<String> quoted = conversation.trailingToolResults().stream()
                .map(result -> result.name() + " returned " + echo(result.text()))
                .toList();
        return "Mock answer from " + model + " using the tool results: " + String.join("; ", quoted);
    }

    private static String echo(String text) {
        String said = WHITESPACE.matcher(text.strip()).replaceAll(" ");
        return said.length() > ECHO_LIMIT ? said.substring(0, ECHO_LIMIT) + "..." : said;
    }

    private static String jsonObject(String text) {
        if (text.strip().startsWith("{")) {
            try (JsonReader reader = JSON.createReader(new StringReader(text))) {
                return reader.readObject().toString();
            } catch (RuntimeException e) {
                // not a JSON object after all: wrapped below
            }
        }
        return JSON.createObjectBuilder().add("answer", text).build().toString();
    }

    private static String formatType(JsonObject body) {
        return body.get("response_format") instanceof JsonObject format ? format.getString("type", "text") : "text";
    }

    private static Optional<JsonValue> schema(JsonObject body) {
        return body.getJsonObject("response_format").get("json_schema") instanceof JsonObject jsonSchema
                && jsonSchema.get("schema") instanceof JsonObject schema ? Optional.of(schema) : Optional.empty();
    }

    /** Like OpenAI's: {@code call_} and 24 characters. */
    private static String callId(Seed seed) {
        HexFormat hex = HexFormat.of();
        return "call_" + (hex.toHexDigits(seed.value()) + hex.toHexDigits(seed.derive("more").value())).substring(0, 24);
    }
}
