package io.llmgateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.Reply.ToolCall;
import io.llmgateway.testing.Reply.Usage;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The JSON objects of OpenAI's chat completions API, as {@link FakeOpenAiApi} sends them: the
 * {@code chat.completion}, the {@code chat.completion.chunk}, their parts, the model list and the error
 * body. Like {@link AnthropicEvents}, it knows the shapes, not the order they are sent in.
 */
final class OpenAiBodies {
    /** The {@code system_fingerprint} of every completion and chunk. */
    static final String SYSTEM_FINGERPRINT = "fp_fake";
    /** The {@code logprob} of every token: a fixed value, the fake has no model. */
    static final double LOGPROB = -0.25;

    /** OpenAI's error {@code type} and {@code code} for each Anthropic error type a {@link Reply} names. */
    private static final Map<String, Kind> ERROR_KINDS = Map.of(
            "invalid_request_error", new Kind("invalid_request_error", null),
            "authentication_error", new Kind("invalid_request_error", "invalid_api_key"),
            "permission_error", new Kind("invalid_request_error", null),
            "not_found_error", new Kind("invalid_request_error", null),
            "request_too_large", new Kind("invalid_request_error", null),
            "rate_limit_error", new Kind("requests", "rate_limit_exceeded"),
            "api_error", new Kind("server_error", null),
            "overloaded_error", new Kind("server_error", null));

    private OpenAiBodies() {
    }

    /** OpenAI's {@code type} and {@code code} of an error. */
    private record Kind(String type, String code) {
    }

    /** {@return the error body {@code {"error":{"message","type","param","code"}}}, also a stream's error event} */
    static JsonObject error(String message, String type, String param, String code) {
        return Jsons.object().add("error", Jsons.object()
                .add("message", message)
                .add("type", type)
                .add("param", Jsons.stringOrNull(param))
                .add("code", Jsons.stringOrNull(code))).build();
    }

    /**
     * {@return the error body for an Anthropic error type: OpenAI's type and code for the same failure (an
     * unknown type is used as it is); {@code code} wins over the type's own when not null}
     */
    static JsonObject translatedError(String anthropicType, String message, String param, String code) {
        Kind kind = ERROR_KINDS.getOrDefault(anthropicType, new Kind(anthropicType, null));
        return error(message, kind.type(), param, code != null ? code : kind.code());
    }

    /** {@return a whole {@code chat.completion} with one choice} */
    static JsonObject completion(String id, long created, String model, JsonObject message, JsonValue logprobs,
                                 String finishReason, Usage usage) {
        JsonObject choice = Jsons.object()
                .add("index", 0)
                .add("message", message)
                .add("logprobs", logprobs)
                .add("finish_reason", finishReason)
                .build();
        return Jsons.object()
                .add("id", id)
                .add("object", "chat.completion")
                .add("created", created)
                .add("model", model)
                .add("choices", Jsons.array().add(choice))
                .add("usage", usage(usage))
                .add("system_fingerprint", SYSTEM_FINGERPRINT)
                .build();
    }

    /** {@return the assistant's message: {@code content} (JSON null for null) and, if there are calls, {@code tool_calls}} */
    static JsonObject message(String content, List<ToolCall> calls) {
        JsonObjectBuilder message = Jsons.object().add("role", "assistant").add("content", Jsons.stringOrNull(content));
        if (!calls.isEmpty()) {
            JsonArrayBuilder toolCalls = Jsons.array();
            calls.forEach(call -> toolCalls.add(toolCall(call.id(), call.name(), call.input().toString())));
            message.add("tool_calls", toolCalls);
        }
        return message.build();
    }

    /** {@return a function call of a message: {@code {"id","type":"function","function":{"name","arguments"}}}} */
    static JsonObject toolCall(String id, String name, String arguments) {
        return toolCall(Jsons.object(), id, name, arguments);
    }

    /** {@return the first piece of a streamed call: its {@code index}, id, type, name and empty arguments} */
    static JsonObject toolCallStart(int index, String id, String name) {
        return toolCall(Jsons.object().add("index", index), id, name, "");
    }

    /** {@return a further piece of a streamed call: its {@code index} and a fragment of its arguments} */
    static JsonObject toolCallArguments(int index, String fragment) {
        return Jsons.object().add("index", index).add("function", Jsons.object().add("arguments", fragment)).build();
    }

    private static JsonObject toolCall(JsonObjectBuilder head, String id, String name, String arguments) {
        return head
                .add("id", id)
                .add("type", "function")
                .add("function", Jsons.object().add("name", name).add("arguments", arguments))
                .build();
    }

    /** {@return {@code usage} as OpenAI writes it (see {@link Reply} for how the counts map)} */
    static JsonObject usage(Usage usage) {
        int prompt = usage.inputTokens() + usage.cacheReadInputTokens() + usage.cacheCreationInputTokens();
        return Jsons.object()
                .add("prompt_tokens", prompt)
                .add("completion_tokens", usage.outputTokens())
                .add("total_tokens", prompt + usage.outputTokens())
                .add("prompt_tokens_details", Jsons.object().add("cached_tokens", usage.cacheReadInputTokens()))
                .add("completion_tokens_details", Jsons.object().add("reasoning_tokens", 0))
                .build();
    }

    /** {@return {@code logprobs} with one entry per token, each of the fixed {@link #LOGPROB}} */
    static JsonObject logprobs(List<String> tokens) {
        JsonArrayBuilder content = Jsons.array();
        for (String token : tokens) {
            JsonArrayBuilder bytes = Jsons.array();
            for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b & 0xff);
            }
            content.add(Jsons.object()
                    .add("token", token)
                    .add("logprob", LOGPROB)
                    .add("bytes", bytes)
                    .add("top_logprobs", JsonValue.EMPTY_JSON_ARRAY));
        }
        return Jsons.object().add("content", content).add("refusal", JsonValue.NULL).build();
    }

    /**
     * {@return a {@code chat.completion.chunk}; {@code usage} is left out when absent (null), as OpenAI
     * does unless the stream reports usage, and JSON null in the chunks of a stream that does}
     */
    static JsonObject chunk(String id, long created, String model, JsonArrayBuilder choices, JsonValue usage) {
        JsonObjectBuilder chunk = Jsons.object()
                .add("id", id)
                .add("object", "chat.completion.chunk")
                .add("created", created)
                .add("model", model)
                .add("system_fingerprint", SYSTEM_FINGERPRINT)
                .add("choices", choices);
        return (usage == null ? chunk : chunk.add("usage", usage)).build();
    }

    /** {@return a chunk's choice: the delta, its logprobs (JSON null for none) and the finish reason (null while running)} */
    static JsonObject chunkChoice(JsonObjectBuilder delta, JsonValue logprobs, String finishReason) {
        return Jsons.object()
                .add("index", 0)
                .add("delta", delta)
                .add("logprobs", logprobs)
                .add("finish_reason", Jsons.stringOrNull(finishReason))
                .build();
    }

    /** {@return {@code GET /v1/models}: {@code {"object":"list","data":[...]}}} */
    static JsonObject modelList(List<String> ids, long created, String ownedBy) {
        JsonArrayBuilder data = Jsons.array();
        ids.forEach(id -> data.add(model(id, created, ownedBy)));
        return Jsons.object().add("object", "list").add("data", data).build();
    }

    /** {@return one model: {@code {"id","object":"model","created","owned_by"}}} */
    static JsonObject model(String id, long created, String ownedBy) {
        return Jsons.object().add("id", id).add("object", "model").add("created", created).add("owned_by", ownedBy).build();
    }
}
