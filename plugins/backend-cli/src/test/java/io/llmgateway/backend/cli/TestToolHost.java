package io.llmgateway.backend.cli;

import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sdk MCP server a session runs for its CLI, driven with the CLI's control requests, without a process. */
final class TestToolHost {

    private static final ToolSet WEATHER = new ToolSet(List.of(
            new ToolSet.Tool("get_weather", "The weather", Json.createObjectBuilder().add("type", "object").build())));

    private final FakeControlChannel cli = new FakeControlChannel();
    private final ToolHost host = new ToolHost();

    @Test
    void theHandshakeAnswersAndTheListIsTheOfferedFunctionsMarkedReadOnly() throws Exception {
        host.handle(cli, "r0", mcp(Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", 0).add("method", "initialize")
                .add("params", Json.createObjectBuilder().add("protocolVersion", "2025-11-25"))));
        JsonObject initialized = cli.lastResponse().getJsonObject("mcp_response").getJsonObject("result");
        assertEquals("2025-11-25", initialized.getString("protocolVersion"));
        assertTrue(initialized.getJsonObject("capabilities").getJsonObject("tools").getBoolean("listChanged"));

        host.handle(cli, "r1", mcp(rpc(1, "tools/list")));
        assertEquals(0, tools().size(), "a new session lists nothing");

        cli.onControl(request -> host.handle(cli, "r2", mcp(rpc(2, "tools/list")))); // the CLI asks again at once
        host.offer(cli, WEATHER);

        assertEquals("notifications/tools/list_changed",
                     cli.sent().getLast().getJsonObject("message").getString("method"));
        JsonObject listed = tools().getJsonObject(0);
        assertEquals("get_weather", listed.getString("name"));
        assertEquals("object", listed.getJsonObject("inputSchema").getString("type"));
        assertTrue(listed.getJsonObject("annotations").getBoolean("readOnlyHint"));

        host.offer(cli, WEATHER);
        assertEquals(1, cli.sent().size(), "the same functions again: no change to announce");
    }

    @Test
    void exactlyTheListedFunctionsArePermitted() throws Exception {
        listWeather();

        host.handle(cli, "p1", permission("mcp__gw__get_weather"));
        assertEquals("allow", cli.lastResponse().getString("behavior"));
        assertEquals(Json.createObjectBuilder().add("city", "Oslo").build(), cli.lastResponse().getJsonObject("updatedInput"));

        host.handle(cli, "p2", permission("mcp__gw__get_time"));
        assertEquals("deny", cli.lastResponse().getString("behavior"));
        host.handle(cli, "p3", permission("Bash"));
        assertEquals("deny", cli.lastResponse().getString("behavior"));
    }

    @Test
    void aCallWaitsForItsResultAndAResultThatComesFirstWaitsForItsCall() throws Exception {
        listWeather();

        host.handle(cli, "c1", mcp(call(7, "toolu_1")));
        assertEquals(1, host.waitingCalls());
        assertTrue(!cli.answered().contains("c1"), "held until the client brings the result");
        host.answer(cli, "toolu_1", "sunny");
        assertEquals("c1", cli.answered().getLast());
        JsonObject rpc = cli.lastResponse().getJsonObject("mcp_response");
        assertEquals(7, rpc.getInt("id"));
        assertEquals("sunny", rpc.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));

        host.answer(cli, "toolu_2", "rainy");
        host.handle(cli, "c2", mcp(call(8, "toolu_2")));
        assertEquals("c2", cli.answered().getLast());
        assertEquals(0, host.waitingCalls());
    }

    @Test
    void aCancelledCallIsForgotten() throws Exception {
        listWeather();
        host.handle(cli, "c1", mcp(call(9, "toolu_3")));

        host.handle(cli, "n1", mcp(Json.createObjectBuilder().add("jsonrpc", "2.0").add("method", "notifications/cancelled")
                .add("params", Json.createObjectBuilder().add("requestId", 9))));

        assertEquals(0, host.waitingCalls());
        assertEquals("n1", cli.answered().getLast());
    }

    @Test
    void whatTheGatewayDoesNotServeIsRefused() {
        host.handle(cli, "x1", Json.createObjectBuilder().add("subtype", "elicitation").build());
        host.handle(cli, "x2", mcp(rpc(3, "resources/list")));

        assertEquals(1, cli.errors().size());
        assertEquals(-32601, cli.lastResponse().getJsonObject("mcp_response").getJsonObject("error").getInt("code"));
    }

    private void listWeather() throws Exception {
        cli.onControl(request -> host.handle(cli, "list", mcp(rpc(99, "tools/list"))));
        host.offer(cli, WEATHER);
    }

    private jakarta.json.JsonArray tools() {
        return cli.lastResponse().getJsonObject("mcp_response").getJsonObject("result").getJsonArray("tools");
    }

    private static JsonObject mcp(JsonObjectBuilder message) {
        return Json.createObjectBuilder().add("subtype", "mcp_message").add("server_name", "gw").add("message", message)
                .build();
    }

    private static JsonObjectBuilder rpc(int id, String method) {
        return Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", id).add("method", method);
    }

    private static JsonObjectBuilder call(int id, String toolUseId) {
        return rpc(id, "tools/call").add("params", Json.createObjectBuilder()
                .add("name", "get_weather")
                .add("arguments", Json.createObjectBuilder().add("city", "Oslo"))
                .add("_meta", Json.createObjectBuilder().add("claudecode/toolUseId", toolUseId).add("progressToken", id)));
    }

    private static JsonObject permission(String tool) {
        return Json.createObjectBuilder().add("subtype", "can_use_tool").add("tool_name", tool)
                .add("input", Json.createObjectBuilder().add("city", "Oslo")).add("tool_use_id", "toolu_9")
                .add("permission_suggestions", JsonValue.EMPTY_JSON_ARRAY).build();
    }
}
