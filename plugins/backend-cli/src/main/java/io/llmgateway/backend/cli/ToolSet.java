package io.llmgateway.backend.cli;

import java.util.List;
import java.util.Optional;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import static java.util.Objects.requireNonNull;

/**
 * The client's functions as a session's sdk MCP server ({@code gw}) lists them to its CLI, which shows
 * them to the model as {@code mcp__gw__<name>}. Two sets are equal when their functions are, so a session
 * knows whether it must be told of a change ({@code tools/list_changed}, after a {@code /clear}).
 *
 * @param tools the functions, in the client's order
 */
record ToolSet(List<Tool> tools) {

    /** A session listing no functions. */
    static final ToolSet NONE = new ToolSet(List.of());
    /** What the CLI puts before the name of each of the server's tools. */
    static final String UPSTREAM_PREFIX = "mcp__" + ToolHost.SERVER + "__";

    ToolSet {
        tools = List.copyOf(tools);
    }

    boolean isEmpty() {
        return tools.isEmpty();
    }

    /** Whether a function of this name is listed. */
    boolean has(String name) {
        return tools.stream().anyMatch(tool -> tool.name().equals(name));
    }

    /**
     * The client's name of a tool as the model calls it ({@code mcp__gw__get_weather} is
     * {@code get_weather}), when it is one of these functions.
     *
     * @param upstreamName the name in the model's {@code tool_use} block
     * @return the function's name, or empty for a tool that is not the client's
     */
    Optional<String> clientName(String upstreamName) {
        if (!upstreamName.startsWith(UPSTREAM_PREFIX)) {
            return Optional.empty();
        }
        String name = upstreamName.substring(UPSTREAM_PREFIX.length());
        return has(name) ? Optional.of(name) : Optional.empty();
    }

    /** This set with only the named function (a named {@code tool_choice}). */
    ToolSet only(String name) {
        return new ToolSet(tools.stream().filter(tool -> tool.name().equals(name)).toList());
    }

    /**
     * The MCP {@code tools/list} result's {@code tools}. Each is marked read-only (a hint the CLI reads as "may
     * run in parallel"), so all calls of one assistant message reach the gateway at once.
     */
    JsonArray asMcpTools() {
        JsonArrayBuilder list = CliProcess.JSON.createArrayBuilder();
        for (Tool tool : tools) {
            list.add(CliProcess.JSON.createObjectBuilder()
                             .add("name", tool.name())
                             .add("description", tool.description())
                             .add("inputSchema", tool.inputSchema())
                             .add("annotations", CliProcess.JSON.createObjectBuilder().add("readOnlyHint", true)));
        }
        return list.build();
    }

    /**
     * One function.
     *
     * @param name        its name ({@code [A-Za-z0-9_-]{1,64}})
     * @param description what it does, possibly empty
     * @param inputSchema the JSON schema of its arguments (an object schema)
     */
    record Tool(String name, String description, JsonObject inputSchema) {
        Tool {
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            requireNonNull(inputSchema, "inputSchema is null");
        }
    }
}
