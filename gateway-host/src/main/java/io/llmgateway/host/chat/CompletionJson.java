package io.llmgateway.host.chat;

import java.io.StringWriter;
import java.util.Map;
import java.util.function.Consumer;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.api.ToolCall;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

/**
 * Renders answers in OpenAI's wire format: {@code chat.completion} and {@code chat.completion.chunk}.
 */
final class CompletionJson {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private CompletionJson() {
    }

    static String completion(Head head, ChatCompletion completion) {
        return write(json -> {
            head.start(json, "chat.completion");
            json.writeStartArray("choices").writeStartObject().write("index", 0).writeStartObject("message")
                    .write("role", "assistant");
            if (completion.text().isEmpty() && !completion.toolCalls().isEmpty()) {
                json.writeNull("content");
            } else {
                json.write("content", completion.text());
            }
            json.writeNull("refusal");
            if (!completion.toolCalls().isEmpty()) {
                json.writeStartArray("tool_calls");
                for (ToolCall call : completion.toolCalls()) {
                    json.writeStartObject().write("id", call.id()).write("type", "function")
                            .writeStartObject("function").write("name", call.name()).write("arguments", call.arguments())
                            .writeEnd().writeEnd();
                }
                json.writeEnd();
            }
            json.writeEnd().writeNull("logprobs").write("finish_reason", completion.finishReason().wireName())
                    .writeEnd().writeEnd();
            completion.usage().ifPresent(usage -> writeUsage(json, usage));
            json.writeEnd();
        });
    }

    static String roleChunk(Head head) {
        return chunk(head, delta -> delta.write("role", "assistant").write("content", ""), null);
    }

    static String textChunk(Head head, String text) {
        return chunk(head, delta -> delta.write("content", text), null);
    }

    static String toolCallChunk(Head head, ChatDelta.ToolCallFragment fragment) {
        return chunk(head, delta -> {
            delta.writeStartArray("tool_calls").writeStartObject().write("index", fragment.index());
            fragment.id().ifPresent(id -> delta.write("id", id).write("type", "function"));
            delta.writeStartObject("function");
            fragment.name().ifPresent(name -> delta.write("name", name));
            delta.write("arguments", fragment.arguments()).writeEnd().writeEnd().writeEnd();
        }, null);
    }

    static String finishChunk(Head head, FinishReason reason) {
        return chunk(head, delta -> { }, reason);
    }

    static String usageChunk(Head head, TokenUsage usage) {
        return write(json -> {
            head.start(json, "chat.completion.chunk");
            json.writeStartArray("choices").writeEnd();
            writeUsage(json, usage);
            json.writeEnd();
        });
    }

    private static String chunk(Head head, Consumer<JsonGenerator> delta, FinishReason finish) {
        return write(json -> {
            head.start(json, "chat.completion.chunk");
            json.writeStartArray("choices").writeStartObject().write("index", 0).writeStartObject("delta");
            delta.accept(json);
            json.writeEnd().writeNull("logprobs");
            if (finish == null) {
                json.writeNull("finish_reason");
            } else {
                json.write("finish_reason", finish.wireName());
            }
            json.writeEnd().writeEnd();
            if (head.usageOnEveryChunk()) {
                json.writeNull("usage");
            }
            json.writeEnd();
        });
    }

    private static void writeUsage(JsonGenerator json, TokenUsage usage) {
        json.writeStartObject("usage")
                .write("prompt_tokens", usage.promptTokens())
                .write("completion_tokens", usage.completionTokens())
                .write("total_tokens", usage.totalTokens())
                .writeStartObject("prompt_tokens_details").write("cached_tokens", usage.cachedPromptTokens()).writeEnd()
                .writeEnd();
    }

    private static String write(Consumer<JsonGenerator> body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            body.accept(json);
        }
        return out.toString();
    }

    /**
     * The fields every object of one answer shares.
     *
     * @param id                {@code chatcmpl-...}
     * @param created           epoch seconds
     * @param model             the model
     * @param usageOnEveryChunk whether chunks carry {@code "usage":null} (when the client asked for usage)
     */
    record Head(String id, long created, String model, boolean usageOnEveryChunk) {
        void start(JsonGenerator json, String object) {
            json.writeStartObject().write("id", id).write("object", object).write("created", created)
                    .write("model", model);
        }
    }
}
