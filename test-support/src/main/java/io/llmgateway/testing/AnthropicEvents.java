package io.llmgateway.testing;

import java.util.Map;

import io.llmgateway.testing.Reply.ToolCall;
import io.llmgateway.testing.Reply.Usage;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The JSON objects of the Anthropic Messages API: the message, its content blocks, the streaming events
 * and the error body. Shared by {@link FakeAnthropicApi}, which sends the events as server-sent events,
 * and {@link FakeClaudeCli}, which wraps them in {@code stream_event} lines as the real CLI does.
 */
final class AnthropicEvents {
    /** The API's error types and the HTTP status each comes with. */
    private static final Map<String, Integer> ERROR_STATUSES = Map.of(
            "invalid_request_error", 400,
            "authentication_error", 401,
            "permission_error", 403,
            "not_found_error", 404,
            "request_too_large", 413,
            "rate_limit_error", 429,
            "api_error", 500,
            "overloaded_error", 529);

    private AnthropicEvents() {
    }

    /** {@return the HTTP status the API answers with this error type; 500 for one it does not know} */
    static int errorStatus(String type) {
        return ERROR_STATUSES.getOrDefault(type, 500);
    }

    /** {@return the error type the API names for this HTTP status; {@code api_error} for one it does not know} */
    static String errorType(int status) {
        return ERROR_STATUSES.entrySet().stream().filter(entry -> entry.getValue() == status)
                .map(Map.Entry::getKey).findFirst().orElse("api_error");
    }

    /** {@return a message object; its {@code content} and stop fields as given} */
    static JsonObject message(String id, String model, JsonArray content, String stopReason, String stopSequence,
                              Usage usage) {
        return Jsons.object()
                .add("id", id)
                .add("type", "message")
                .add("role", "assistant")
                .add("model", model)
                .add("content", content)
                .add("stop_reason", Jsons.stringOrNull(stopReason))
                .add("stop_sequence", Jsons.stringOrNull(stopSequence))
                .add("usage", usage(usage))
                .build();
    }

    /** {@return {@code usage} as the API writes it} */
    static JsonObject usage(Usage usage) {
        return Jsons.object()
                .add("input_tokens", usage.inputTokens())
                .add("cache_creation_input_tokens", usage.cacheCreationInputTokens())
                .add("cache_read_input_tokens", usage.cacheReadInputTokens())
                .add("output_tokens", usage.outputTokens())
                .build();
    }

    static JsonObject textBlock(String text) {
        return Jsons.object().add("type", "text").add("text", text).build();
    }

    static JsonObject toolUseBlock(ToolCall call, JsonObject input) {
        return Jsons.object().add("type", "tool_use").add("id", call.id()).add("name", call.name()).add("input", input).build();
    }

    /**
     * {@return {@code message_start}: the message without content; like the real API it reports at most one
     * output token, the final count comes in {@code message_delta}}
     */
    static JsonObject messageStart(String id, String model, Usage usage) {
        Usage started = new Usage(usage.inputTokens(), Math.min(1, usage.outputTokens()), usage.cacheReadInputTokens(),
                usage.cacheCreationInputTokens());
        return event("message_start").add("message", message(id, model, JsonValue.EMPTY_JSON_ARRAY, null, null, started)).build();
    }

    static JsonObject contentBlockStart(int index, JsonObject block) {
        return event("content_block_start").add("index", index).add("content_block", block).build();
    }

    static JsonObject textDelta(int index, String text) {
        return delta(index, Jsons.object().add("type", "text_delta").add("text", text));
    }

    static JsonObject inputJsonDelta(int index, String partialJson) {
        return delta(index, Jsons.object().add("type", "input_json_delta").add("partial_json", partialJson));
    }

    static JsonObject contentBlockStop(int index) {
        return event("content_block_stop").add("index", index).build();
    }

    /** {@return {@code message_delta} with the stop reason and the cumulative output token count} */
    static JsonObject messageDelta(String stopReason, String stopSequence, int outputTokens) {
        return event("message_delta")
                .add("delta", Jsons.object().add("stop_reason", Jsons.stringOrNull(stopReason)).add("stop_sequence", Jsons.stringOrNull(stopSequence)))
                .add("usage", Jsons.object().add("output_tokens", outputTokens))
                .build();
    }

    static JsonObject messageStop() {
        return event("message_stop").build();
    }

    static JsonObject ping() {
        return event("ping").build();
    }

    /** {@return the error body {@code {"type":"error","error":{"type":...,"message":...}}}, also a stream's error event} */
    static JsonObject error(String type, String message) {
        return event("error").add("error", Jsons.object().add("type", type).add("message", message)).build();
    }

    private static JsonObject delta(int index, JsonObjectBuilder delta) {
        return event("content_block_delta").add("index", index).add("delta", delta).build();
    }

    private static JsonObjectBuilder event(String type) {
        return Jsons.object().add("type", type);
    }
}
