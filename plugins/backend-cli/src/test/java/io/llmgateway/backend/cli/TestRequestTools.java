package io.llmgateway.backend.cli;

import java.util.List;
import java.util.Optional;

import io.llmgateway.api.GatewayException;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a request's tools, tool_choice and response_format become what a session lists and answers. */
final class TestRequestTools {

    @Test
    void autoListsEveryFunctionNoneListsNone() {
        RequestTools auto = RequestTools.of(TestCliTools.tools("get_weather", "get_time"));
        RequestTools none = RequestTools.of(TestCliTools.with(TestCliTools.tools("get_weather"), "tool_choice",
                                                              Json.createValue("none")));

        assertEquals(List.of("get_weather", "get_time"), auto.offered().tools().stream().map(ToolSet.Tool::name).toList());
        assertEquals(Optional.empty(), auto.instruction());
        assertTrue(none.offered().isEmpty());
        assertTrue(RequestTools.of(JsonValue.EMPTY_JSON_OBJECT).offered().isEmpty());
    }

    @Test
    void requiredAndNamedChoicesSteerTheModel() {
        RequestTools required = RequestTools.of(TestCliTools.with(TestCliTools.tools("a", "b"), "tool_choice",
                                                                  Json.createValue("required")));
        RequestTools named = RequestTools.of(TestCliTools.with(TestCliTools.tools("a", "b"), "tool_choice", function("b")));

        assertEquals(2, required.offered().tools().size());
        assertTrue(required.instruction().orElseThrow().contains("one or more of your tools"));
        assertEquals(List.of("b"), named.offered().tools().stream().map(ToolSet.Tool::name).toList());
        assertTrue(named.instruction().orElseThrow().contains("the tool b"));
    }

    @Test
    void theClientsNamesAreTheUpstreamNamesWithoutThePrefix() {
        ToolSet tools = RequestTools.of(TestCliTools.tools("get_weather")).offered();

        assertEquals(Optional.of("get_weather"), tools.clientName("mcp__gw__get_weather"));
        assertEquals(Optional.empty(), tools.clientName("mcp__gw__get_time"));
        assertEquals(Optional.empty(), tools.clientName("StructuredOutput"));
        assertEquals(Optional.empty(), tools.clientName("get_weather"));
    }

    @Test
    void badToolsAndChoicesAre400sNamingTheParam() {
        assertParam("tools[0].function.name", TestCliTools.tools("has.dot"));
        assertParam("tools[0].function.name", TestCliTools.tools("x".repeat(65)));
        assertParam("tools[1].function.name", TestCliTools.tools("twice", "twice"));
        assertParam("tool_choice", TestCliTools.with(TestCliTools.tools("a"), "tool_choice", function("b")));
        assertParam("tool_choice", TestCliTools.with(JsonValue.EMPTY_JSON_OBJECT, "tool_choice", Json.createValue("required")));
        assertParam("tool_choice", TestCliTools.with(TestCliTools.tools("a"), "tool_choice", Json.createValue("always")));
        assertParam("functions", Json.createObjectBuilder().add("functions", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", "f"))).build());
        JsonObject stringParameters = Json.createObjectBuilder().add("tools", Json.createArrayBuilder().add(
                Json.createObjectBuilder().add("type", "function").add("function", Json.createObjectBuilder()
                        .add("name", "f").add("parameters", Json.createObjectBuilder().add("type", "string"))))).build();
        assertParam("tools[0].function.parameters", stringParameters);
    }

    @Test
    void responseFormatsBecomeTheCliSchema() {
        JsonObject schema = Json.createObjectBuilder().add("type", "object").build();

        assertEquals(Optional.empty(), ResponseSchema.of(JsonValue.EMPTY_JSON_OBJECT));
        assertEquals(Optional.empty(), ResponseSchema.of(format(Json.createObjectBuilder().add("type", "text").build())));
        assertEquals(Optional.of("{\"type\":\"object\"}"),
                     ResponseSchema.of(format(Json.createObjectBuilder().add("type", "json_object").build())));
        assertEquals(Optional.of(schema.toString()), ResponseSchema.of(TestCliTools.jsonSchema(schema)));
        assertEquals(Optional.of(schema.toString()), ResponseSchema.of(TestCliTools.jsonSchema(Json.createObjectBuilder(schema)
                .add("$schema", "https://json-schema.org/draft/2020-12/schema").build())), "no $schema for the CLI to refuse");
    }

    @Test
    void badResponseFormatsAre400sNamingTheParam() {
        assertSchemaParam("response_format.type", format(Json.createObjectBuilder().add("type", "xml").build()));
        assertSchemaParam("response_format.json_schema", format(Json.createObjectBuilder().add("type", "json_schema").build()));
        assertSchemaParam("response_format.json_schema.name", format(Json.createObjectBuilder().add("type", "json_schema")
                .add("json_schema", Json.createObjectBuilder().add("schema", JsonValue.EMPTY_JSON_OBJECT)).build()));
        assertSchemaParam("response_format.json_schema.schema", TestCliTools.jsonSchema(
                Json.createObjectBuilder().add("type", "array").build()));
        assertSchemaParam("response_format", Json.createObjectBuilder().add("response_format", "json").build());
        JsonObject pair = Json.createObjectBuilder().add("type", "array")
                .add("prefixItems", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "string"))).build();
        assertSchemaParam("response_format.json_schema.schema", TestCliTools.jsonSchema(Json.createObjectBuilder()
                .add("type", "object").add("properties", Json.createObjectBuilder().add("pair", pair)).build()));
        JsonObject draft7Pair = Json.createObjectBuilder().add("type", "array")
                .add("items", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "string"))).build();
        assertSchemaParam("response_format.json_schema.schema", TestCliTools.jsonSchema(Json.createObjectBuilder()
                .add("type", "object").add("properties", Json.createObjectBuilder().add("pair", draft7Pair)).build()));
    }

    private static JsonObject function(String name) {
        return Json.createObjectBuilder().add("type", "function")
                .add("function", Json.createObjectBuilder().add("name", name)).build();
    }

    private static JsonObject format(JsonObject responseFormat) {
        return Json.createObjectBuilder().add("response_format", responseFormat).build();
    }

    private static void assertParam(String param, JsonObject body) {
        GatewayException e = assertThrows(GatewayException.class, () -> RequestTools.of(body));
        assertEquals(400, e.status());
        assertEquals(param, e.param().orElseThrow(), e.getMessage());
    }

    private static void assertSchemaParam(String param, JsonObject body) {
        GatewayException e = assertThrows(GatewayException.class, () -> ResponseSchema.of(body));
        assertEquals(400, e.status());
        assertEquals(param, e.param().orElseThrow(), e.getMessage());
    }
}
