package io.llmgateway.backend.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A session's sdk MCP server {@code gw}: what the CLI asks its parent on stdout, answered by the gateway
 * that executes nothing. It lists the functions of the conversation the session serves, permits calls of
 * exactly those ({@code can_use_tool}, the CLI running with {@code --permission-prompt-tool stdio}), and
 * holds each {@code tools/call} until the client's {@code tool} message brings its result; a result that
 * comes first waits for its call. Calls are known by the model's {@code tool_use} id, which the CLI passes
 * as {@code _meta["claudecode/toolUseId"]} and the client gets as the OpenAI {@code tool_call} id. Called
 * on the process's stdout reader (requests) and on request threads (offers, results): synchronized.
 */
final class ToolHost implements CliProcess.ControlRequests {

    /** The server's name in {@code --mcp-config}. */
    static final String SERVER = "gw";
    /** The CLI's own wait for a changed tool list; it asks again within milliseconds. */
    static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);

    private static final String TOOL_USE_ID = "claudecode/toolUseId";
    private static final int METHOD_NOT_FOUND = -32601;

    private ToolSet listed = ToolSet.NONE;
    private CompletableFuture<Void> relisted = CompletableFuture.completedFuture(null);
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<String, Result> early = new HashMap<>();

    @Override
    public synchronized void handle(ControlChannel process, String requestId, JsonObject request) {
        switch (request.getString("subtype", "")) {
            case "mcp_message" -> mcpMessage(process, requestId, request);
            case "can_use_tool" -> permission(process, requestId, request);
            default -> process.respondError(requestId, "the gateway does not handle " + request.getString("subtype", "?"));
        }
    }

    /**
     * Makes the session list these functions: when they differ from those listed, tells the CLI
     * ({@code notifications/tools/list_changed}) and waits until it has listed them again. The CLI keeps tools
     * it has shown the model in a conversation, so the session's context must be clean before a change.
     *
     * @param process the session's process
     * @param tools   the functions
     * @throws IOException when the CLI does not take the change or does not list them in time
     */
    void offer(ControlChannel process, ToolSet tools) throws IOException, InterruptedException {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (tools.equals(listed)) {
                return;
            }
            listed = tools;
            relisted = new CompletableFuture<>();
            done = relisted;
        }
        JsonObject changed = CliProcess.JSON.createObjectBuilder()
                .add("subtype", "mcp_message")
                .add("server_name", SERVER)
                .add("message", CliProcess.JSON.createObjectBuilder()
                        .add("jsonrpc", "2.0")
                        .add("method", "notifications/tools/list_changed"))
                .build();
        try {
            process.control(changed, LIST_TIMEOUT);
            done.get(LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the claude process did not list its changed tools within " + LIST_TIMEOUT.toSeconds()
                                          + " s");
        } catch (ExecutionException e) {
            throw new IOException("the claude process did not list its changed tools", e.getCause());
        }
    }

    /**
     * Gives a pending call its result: answers the CLI's {@code tools/call} now, or when it arrives.
     *
     * @param process   the session's process
     * @param toolUseId the call's id
     * @param text      the client's {@code tool} message
     */
    synchronized void answer(ControlChannel process, String toolUseId, String text) {
        Result result = new Result(text);
        Call call = calls.remove(toolUseId);
        if (call == null) {
            early.put(toolUseId, result);
        } else {
            respond(process, call, result);
        }
    }

    /** Forgets calls and results of a turn that is over (answered, interrupted or reset). */
    synchronized void forgetCalls() {
        calls.clear();
        early.clear();
    }

    /** {@return how many {@code tools/call}s wait for a result} */
    synchronized int waitingCalls() {
        return calls.size();
    }

    private void mcpMessage(ControlChannel process, String requestId, JsonObject request) {
        if (!SERVER.equals(request.getString("server_name", "")) || !(request.get("message") instanceof JsonObject message)) {
            process.respondError(requestId, "no such MCP server");
            return;
        }
        JsonValue id = message.get("id");
        String method = message.getString("method", "");
        if (id == null) { // a notification: initialized, cancelled, progress
            if (method.equals("notifications/cancelled") && message.get("params") instanceof JsonObject params
                    && params.containsKey("requestId")) {
                JsonValue cancelled = params.get("requestId");
                calls.values().removeIf(call -> call.rpcId().equals(cancelled));
            }
            process.respond(requestId, mcpResponse(JsonValue.EMPTY_JSON_OBJECT, CliProcess.JSON.createValue(0)));
            return;
        }
        switch (method) {
            case "initialize" -> process.respond(requestId, mcpResponse(CliProcess.JSON.createObjectBuilder()
                    .add("protocolVersion", message.get("params") instanceof JsonObject params
                            ? params.getString("protocolVersion", "2025-06-18") : "2025-06-18")
                    .add("capabilities", CliProcess.JSON.createObjectBuilder()
                            .add("tools", CliProcess.JSON.createObjectBuilder().add("listChanged", true)))
                    .add("serverInfo", CliProcess.JSON.createObjectBuilder().add("name", SERVER).add("version", "1"))
                    .build(), id));
            case "tools/list" -> {
                process.respond(requestId, mcpResponse(CliProcess.JSON.createObjectBuilder()
                                                               .add("tools", listed.asMcpTools()).build(), id));
                relisted.complete(null);
            }
            case "ping" -> process.respond(requestId, mcpResponse(JsonValue.EMPTY_JSON_OBJECT, id));
            case "tools/call" -> call(process, requestId, id, message);
            default -> process.respond(requestId, CliProcess.JSON.createObjectBuilder()
                    .add("mcp_response", CliProcess.JSON.createObjectBuilder()
                            .add("jsonrpc", "2.0")
                            .add("id", id)
                            .add("error", CliProcess.JSON.createObjectBuilder()
                                    .add("code", METHOD_NOT_FOUND)
                                    .add("message", method + " is not supported by the gateway")))
                    .build());
        }
    }

    private void call(ControlChannel process, String requestId, JsonValue rpcId, JsonObject message) {
        JsonObject params = message.get("params") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        String toolUseId = params.get("_meta") instanceof JsonObject meta && meta.get(TOOL_USE_ID) instanceof JsonString id
                ? id.getString() : "";
        Call call = new Call(requestId, rpcId);
        if (!listed.has(params.getString("name", ""))) {
            respond(process, call, new Result("The tool " + params.getString("name", "?") + " is not available."));
            return;
        }
        Result result = early.remove(toolUseId);
        if (result != null) {
            respond(process, call, result);
        } else {
            calls.put(toolUseId, call);
        }
    }

    private void permission(ControlChannel process, String requestId, JsonObject request) {
        String tool = request.getString("tool_name", "");
        if (listed.clientName(tool).isPresent()) {
            JsonValue input = request.get("input") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
            process.respond(requestId, CliProcess.JSON.createObjectBuilder()
                    .add("behavior", "allow").add("updatedInput", input).build());
        } else {
            process.respond(requestId, CliProcess.JSON.createObjectBuilder()
                    .add("behavior", "deny")
                    .add("message", "The tool " + tool + " is not available in this conversation.")
                    .build());
        }
    }

    private static void respond(ControlChannel process, Call call, Result result) {
        JsonObjectBuilder content = CliProcess.JSON.createObjectBuilder()
                .add("content", CliProcess.JSON.createArrayBuilder()
                        .add(CliProcess.JSON.createObjectBuilder().add("type", "text").add("text", result.text())));
        process.respond(call.requestId(), mcpResponse(content.build(), call.rpcId()));
    }

    private static JsonObject mcpResponse(JsonObject result, JsonValue id) {
        return CliProcess.JSON.createObjectBuilder()
                .add("mcp_response", CliProcess.JSON.createObjectBuilder()
                        .add("jsonrpc", "2.0")
                        .add("id", id)
                        .add("result", result))
                .build();
    }

    /** A {@code tools/call} waiting for its result: the control request to answer and its JSON-RPC id. */
    private record Call(String requestId, JsonValue rpcId) {
    }

    /** A call's result, as the client's {@code tool} message gave it. */
    private record Result(String text) {
    }
}
