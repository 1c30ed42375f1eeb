package io.llmgateway.anthropic;

import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native structured outputs or the forced answer tool: which models, which schemas, in what form.
 */
final class TestStructuredOutputs {

    @Test
    void claudeFourPointFiveAndLaterHaveNativeStructuredOutputs() {
        assertTrue(StructuredOutputs.nativeByDefault("claude-sonnet-4-5"));
        assertTrue(StructuredOutputs.nativeByDefault("claude-sonnet-4-5-20250929"));
        assertTrue(StructuredOutputs.nativeByDefault("claude-haiku-4-5-20251001"));
        assertTrue(StructuredOutputs.nativeByDefault("claude-opus-4-6"));
        assertTrue(StructuredOutputs.nativeByDefault("claude-opus-5-5"));
        assertTrue(StructuredOutputs.nativeByDefault("claude-sonnet-5"));
        assertFalse(StructuredOutputs.nativeByDefault("claude-opus-4-1"));
        assertFalse(StructuredOutputs.nativeByDefault("claude-sonnet-4-20250514"), "a date is not a minor version");
        assertFalse(StructuredOutputs.nativeByDefault("claude-3-5-sonnet-20241022"));
        assertFalse(StructuredOutputs.nativeByDefault("claude-3-7-sonnet-latest"));
        assertFalse(StructuredOutputs.nativeByDefault("gpt-4o"));
    }

    @Test
    void aNativeSchemaIsClosedAndKeepsOnlyWhatDecodingEnforces() {
        JsonObject schema = nativeSchema("""
                {"type":"object","$schema":"https://json-schema.org/draft/2020-12/schema",
                 "properties":{
                   "name":{"type":"string","minLength":1,"description":"Full name"},
                   "age":{"type":"integer","minimum":0,"maximum":150},
                   "tags":{"type":"array","items":{"type":"string","format":"email"},"minItems":1,"maxItems":3},
                   "choice":{"oneOf":[{"type":"string"},{"type":"null"}]},
                   "address":{"type":"object","properties":{"city":{"type":"string","format":"city-name"}}}},
                 "required":["name","age"]}""");

        assertFalse(schema.containsKey("$schema"));
        assertFalse(schema.getBoolean("additionalProperties"));
        JsonObject properties = schema.getJsonObject("properties");
        assertFalse(properties.getJsonObject("address").getBoolean("additionalProperties"), "nested objects too");
        assertEquals("Full name\n\n{\"minLength\":1}", properties.getJsonObject("name").getString("description"));
        assertEquals("{\"minimum\":0,\"maximum\":150}", properties.getJsonObject("age").getString("description"));
        assertFalse(properties.getJsonObject("age").containsKey("minimum"));
        assertEquals(1, properties.getJsonObject("tags").getInt("minItems"));
        assertEquals("email", properties.getJsonObject("tags").getJsonObject("items").getString("format"));
        assertEquals("{\"maxItems\":3}", properties.getJsonObject("tags").getString("description"));
        assertTrue(properties.getJsonObject("choice").containsKey("anyOf"), "oneOf as anyOf");
        assertEquals("{\"format\":\"city-name\"}", properties.getJsonObject("address").getJsonObject("properties")
                .getJsonObject("city").getString("description"));
    }

    @Test
    void schemasWithoutANativeFormGoAsATool() {
        assertTrue(NativeSchema.of(schema("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}")).isEmpty(),
                   "an open object");
        assertTrue(NativeSchema.of(schema("{\"type\":\"object\",\"properties\":{\"meta\":{\"type\":\"object\"}}}")).isEmpty(),
                   "a free-form object");
        assertTrue(NativeSchema.of(schema("""
                {"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}}}""")).isEmpty(),
                   "recursion");
        assertTrue(NativeSchema.of(schema("{\"type\":\"object\",\"properties\":{\"a\":{\"not\":{\"type\":\"null\"}}}}"))
                           .isEmpty());
        assertTrue(NativeSchema.of(schema("{\"type\":\"object\",\"properties\":{\"a\":{\"enum\":[{\"x\":1}]}}}")).isEmpty());
        StringBuilder many = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        for (int i = 0; i <= NativeSchema.MAX_OPTIONAL_PROPERTIES; i++) {
            many.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{\"type\":\"string\"}");
        }
        assertTrue(NativeSchema.of(schema(many + "}}")).isEmpty(), "over the documented optional-property limit");
        assertTrue(NativeSchema.of(schema("""
                {"type":"object","properties":{"a":{"$ref":"#/$defs/b"}},"$defs":{"b":{"type":"string"}}}""")).isPresent(),
                   "a reference that does not recurse is fine");
    }

    @Test
    void theForcedToolCarriesTheSchemaAsItIs() {
        ResponseFormat.Schema format = new ResponseFormat.Schema("weather", Optional.empty(), schema("""
                {"type":"object","$schema":"http://json-schema.org/draft-07/schema#","properties":{"t":{"type":"number","minimum":-90}}}"""),
                                                                 true);

        StructuredOutput.AnswerTool tool = assertInstanceOf(StructuredOutput.AnswerTool.class,
                                                            StructuredOutputs.plan(format, false, Set.of()));

        assertEquals("json_answer", tool.name());
        JsonObject input = tool.tool().getJsonObject("input_schema");
        assertEquals(-90, input.getJsonObject("properties").getJsonObject("t").getInt("minimum"));
        assertFalse(input.containsKey("$schema"));
        assertTrue(tool.tool().getString("description").startsWith("The answer (weather)"));
        assertEquals(Jsons.parse("{\"type\":\"tool\",\"name\":\"json_answer\"}"), tool.toolChoice(Optional.empty(), false));
    }

    @Test
    void theToolChoiceMergesWithTheClients() {
        StructuredOutput.AnswerTool tool = assertInstanceOf(StructuredOutput.AnswerTool.class, StructuredOutputs.plan(
                new ResponseFormat.AnyObject(), true, Set.of("search")));

        assertEquals(Jsons.parse("{\"type\":\"any\"}"), tool.toolChoice(Optional.empty(), true));
        assertEquals(Jsons.parse("{\"type\":\"any\"}"), tool.toolChoice(Optional.of(Jsons.parse("{\"type\":\"auto\"}")), true));
        assertEquals(Jsons.parse("{\"type\":\"tool\",\"name\":\"json_answer\"}"),
                     tool.toolChoice(Optional.of(Jsons.parse("{\"type\":\"none\"}")), true), "none of the client's tools");
        JsonObject named = Jsons.parse("{\"type\":\"tool\",\"name\":\"search\"}");
        assertEquals(named, tool.toolChoice(Optional.of(named), true));
    }

    @Test
    void aSchemaGoesNativeOnlyOnANativeModel() {
        ResponseFormat.Schema format = new ResponseFormat.Schema("x", Optional.empty(), schema(
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"), false);

        StructuredOutput.Native structured = assertInstanceOf(StructuredOutput.Native.class,
                                                              StructuredOutputs.plan(format, true, Set.of()));
        assertEquals("json_schema", structured.outputConfig().getJsonObject("format").getString("type"));
        assertInstanceOf(StructuredOutput.AnswerTool.class, StructuredOutputs.plan(format, false, Set.of()));
        assertInstanceOf(StructuredOutput.None.class, StructuredOutputs.plan(new ResponseFormat.Text(), true, Set.of()));
    }

    @Test
    void aDraftSevenTupleGoesAsTheAnswerToolsPrefixItems() {
        ResponseFormat.Schema format = (ResponseFormat.Schema) ResponseFormat.of(Jsons.parse("""
                {"response_format":{"type":"json_schema","json_schema":{"name":"pair","schema":{
                 "$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{
                 "pair":{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":false}}}}}}"""));

        StructuredOutput.AnswerTool tool = assertInstanceOf(StructuredOutput.AnswerTool.class,
                                                            StructuredOutputs.plan(format, true, Set.of()));

        assertEquals(Jsons.parse("{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"},{\"type\":\"number\"}],\"items\":false}"),
                     tool.tool().getJsonObject("input_schema").getJsonObject("properties").getJsonObject("pair"),
                     "constrained decoding has no tuples, a tool's input schema has");
    }

    private static JsonObject nativeSchema(String schema) {
        return NativeSchema.of(schema(schema)).orElseThrow();
    }

    private static JsonObject schema(String schema) {
        return SchemaCheck.checked(Jsons.parse(schema));
    }
}
