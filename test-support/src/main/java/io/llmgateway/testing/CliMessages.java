package io.llmgateway.testing;

import java.util.UUID;

import io.llmgateway.testing.Reply.Usage;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The stdout lines of {@code claude -p --output-format stream-json --verbose}, with the fields a client
 * of the CLI reads (checked against the real CLI 2.1.328, which adds many more). Every line that belongs
 * to a session carries its {@code session_id}.
 */
final class CliMessages {
    private CliMessages() {
    }

    static JsonObject controlSuccess(String requestId, JsonObject response) {
        return controlResponse(Jsons.object().add("subtype", "success").add("request_id", requestId).add("response", response));
    }

    static JsonObject controlError(String requestId, String error) {
        return controlResponse(Jsons.object()
                .add("subtype", "error")
                .add("request_id", requestId)
                .add("error", error)
                .add("error_code", "unsupported_request"));
    }

    /**
     * {@return {@code system/init}, sent at the start of every turn and after {@code /clear}; the system
     * prompt is a field of the fake's own, so tests can see what the process was started with}
     */
    static JsonObject init(String sessionId, String model, String systemPrompt) {
        return line("system", sessionId)
                .add("subtype", "init")
                .add("cwd", System.getProperty("user.dir"))
                .add("tools", JsonValue.EMPTY_JSON_ARRAY)
                .add("mcp_servers", JsonValue.EMPTY_JSON_ARRAY)
                .add("model", model)
                .add("permissionMode", "default")
                .add("apiKeySource", "none")
                .add("claude_code_version", "fake")
                .add("fake_system_prompt", systemPrompt)
                .build();
    }

    static JsonObject requesting(String sessionId) {
        return line("system", sessionId).add("subtype", "status").add("status", "requesting").build();
    }

    /** {@return a raw Anthropic event wrapped as {@code --include-partial-messages} wraps it} */
    static JsonObject streamEvent(String sessionId, JsonObject event) {
        return line("stream_event", sessionId).add("event", event).add("parent_tool_use_id", JsonValue.NULL).build();
    }

    /** {@return the {@code assistant} line; {@code aborted} marks the partial message of an interrupted turn} */
    static JsonObject assistant(String sessionId, JsonObject message, boolean aborted) {
        JsonObjectBuilder line = line("assistant", sessionId).add("message", message).add("parent_tool_use_id", JsonValue.NULL);
        return (aborted ? line.add("aborted", true) : line).build();
    }

    /** {@return the synthetic {@code assistant} line the CLI writes for a failed API call} */
    static JsonObject apiErrorAssistant(String sessionId, int status, String errorType, String text) {
        JsonObject message = AnthropicEvents.message(UUID.randomUUID().toString(), "<synthetic>",
                Jsons.array().add(AnthropicEvents.textBlock(text)).build(), "stop_sequence", "", Usage.of(0, 0));
        return line("assistant", sessionId)
                .add("message", message)
                .add("parent_tool_use_id", JsonValue.NULL)
                .add("is_api_error_message", true)
                .add("api_error_status", status)
                .add("api_error_type", errorType)
                .build();
    }

    /** {@return the {@code user} line the CLI echoes when a turn is interrupted} */
    static JsonObject interruptedByUser(String sessionId) {
        JsonObject message = Jsons.object()
                .add("role", "user")
                .add("content", Jsons.array().add(AnthropicEvents.textBlock("[Request interrupted by user]")))
                .build();
        return line("user", sessionId).add("message", message).add("parent_tool_use_id", JsonValue.NULL).build();
    }

    static JsonObject success(String sessionId, String text, int numTurns, Usage usage, long durationMs) {
        return result("success", false, sessionId, numTurns, usage, durationMs)
                .add("result", text)
                .add("stop_reason", "end_turn")
                .add("terminal_reason", "completed")
                .add("api_error_status", JsonValue.NULL)
                .build();
    }

    /** {@return the result of a turn whose API call failed: {@code success} with {@code is_error}, as the real CLI says it} */
    static JsonObject apiError(String sessionId, int status, String errorType, String text, int numTurns, long durationMs) {
        return result("success", true, sessionId, numTurns, Usage.of(0, 0), durationMs)
                .add("result", text)
                .add("stop_reason", "stop_sequence")
                .add("terminal_reason", "api_error")
                .add("api_error_status", status)
                .add("api_error_type", errorType)
                .build();
    }

    /** {@return the result of an interrupted turn (the real CLI marks it {@code is_error} too)} */
    static JsonObject aborted(String sessionId, int numTurns, Usage usage, long durationMs) {
        return result("error_during_execution", true, sessionId, numTurns, usage, durationMs)
                .add("stop_reason", JsonValue.NULL)
                .add("terminal_reason", "aborted_streaming")
                .add("errors", Jsons.array().add("interrupted"))
                .build();
    }

    /** {@return the result of {@code /clear}: no model call, {@code num_turns} 0} */
    static JsonObject cleared(String sessionId, long durationMs) {
        return result("success", false, sessionId, 0, Usage.of(0, 0), durationMs)
                .add("result", "")
                .add("stop_reason", JsonValue.NULL)
                .add("local_command", "clear")
                .build();
    }

    static JsonObject conversationReset(String oldSessionId) {
        String id = UUID.randomUUID().toString();
        return line("conversation_reset", oldSessionId).add("new_conversation_id", id).add("trigger", "clear").build();
    }

    static JsonObject backgroundTasksChanged(String sessionId) {
        return line("system", sessionId).add("subtype", "background_tasks_changed").add("tasks", JsonValue.EMPTY_JSON_ARRAY).build();
    }

    static JsonObject rateLimitEvent(String sessionId) {
        return line("rate_limit_event", sessionId)
                .add("rate_limit_info", Jsons.object().add("status", "allowed").add("rateLimitType", "five_hour"))
                .build();
    }

    /** {@return a {@code rate_limit_event} carrying the allowance the upstream's headers reported} */
    static JsonObject rateLimitEvent(String sessionId, JsonObject rateLimitInfo) {
        return line("rate_limit_event", sessionId).add("rate_limit_info", rateLimitInfo).build();
    }

    /**
     * {@return {@code rate_limit_info} as 2.1.328 derives it from the {@code anthropic-ratelimit-unified-*} headers:
     * {@code rejected} with the overage refused too, {@code allowed_warning} past a threshold, or {@code allowed}}
     */
    static JsonObject rateLimitInfo(String status, long resetsAt, String window, double utilization) {
        JsonObjectBuilder info = Jsons.object().add("status", status).add("resetsAt", resetsAt).add("rateLimitType", window);
        if (status.equals("rejected")) {
            info.add("overageStatus", "rejected").add("overageDisabledReason", "org_level_disabled");
        } else if (status.equals("allowed_warning")) {
            info.add("utilization", utilization);
        }
        info.add("isUsingOverage", false);
        if (status.equals("allowed_warning")) {
            info.add("surpassedThreshold", 0.9);
        }
        JsonObjectBuilder windowInfo = Jsons.object().add("utilization", utilization).add("resetsAt", resetsAt)
                .add("status", status);
        return info.add("unifiedWindows", Jsons.object().add(window, windowInfo)).build();
    }

    /**
     * {@return the synthetic {@code assistant} line of a turn refused for the usage limit: its text is the CLI's
     * notice, {@code error} {@code rate_limit}, {@code api_error} {@code usage_limit_reached} and the allowance in
     * {@code api_error_params}}
     */
    static JsonObject usageLimitAssistant(String sessionId, String text, JsonObject rateLimitInfo) {
        JsonObject message = AnthropicEvents.message(UUID.randomUUID().toString(), "<synthetic>",
                Jsons.array().add(AnthropicEvents.textBlock(text)).build(), "stop_sequence", "", Usage.of(0, 0));
        JsonObjectBuilder info = Jsons.object();
        rateLimitInfo.forEach((name, value) -> {
            if (!name.equals("unifiedWindows")) {
                info.add(name, value);
            }
        });
        return line("assistant", sessionId)
                .add("message", message)
                .add("parent_tool_use_id", JsonValue.NULL)
                .add("error", "rate_limit")
                .add("is_api_error_message", true)
                .add("api_error_status", 429)
                .add("api_error", "usage_limit_reached")
                .add("api_error_params", Jsons.object().add("rate_limit_info", info))
                .add("api_error_type", "rate_limit_error")
                .build();
    }

    /** {@return the result of a turn refused for the usage limit, as 2.1.328 writes it} */
    static JsonObject usageLimitResult(String sessionId, String text, int numTurns, long durationMs) {
        return result("success", true, sessionId, numTurns, Usage.of(0, 0), durationMs)
                .add("result", text)
                .add("stop_reason", "stop_sequence")
                .add("terminal_reason", "api_error")
                .add("api_error_status", 429)
                .add("api_error_type", "rate_limit_error")
                .add("api_error", "usage_limit_reached")
                .build();
    }

    /** {@return the only line older CLIs wrote for a turn refused for the usage limit: {@code TEXT|RESETS_AT}} */
    static JsonObject olderUsageLimitResult(String sessionId, long resetsAt, int numTurns, long durationMs) {
        return result("success", true, sessionId, numTurns, Usage.of(0, 0), durationMs)
                .add("result", "Claude AI usage limit reached|" + resetsAt)
                .build();
    }

    private static JsonObjectBuilder result(String subtype, boolean isError, String sessionId, int numTurns, Usage usage,
                                            long durationMs) {
        return line("result", sessionId)
                .add("subtype", subtype)
                .add("is_error", isError)
                .add("duration_ms", durationMs)
                .add("duration_api_ms", durationMs)
                .add("num_turns", numTurns)
                .add("total_cost_usd", 0)
                .add("usage", AnthropicEvents.usage(usage));
    }

    private static JsonObject controlResponse(JsonObjectBuilder response) {
        return Jsons.object().add("type", "control_response").add("response", response).build();
    }

    private static JsonObjectBuilder line(String type, String sessionId) {
        return Jsons.object().add("type", type).add("session_id", sessionId).add("uuid", UUID.randomUUID().toString());
    }
}
