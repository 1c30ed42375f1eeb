package io.llmgateway.anthropic;

import java.util.Optional;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading {@code response_format}, and the schemas the Anthropic API cannot take.
 */
final class TestResponseFormat {

    @Test
    void eachTypeReads() {
        assertInstanceOf(ResponseFormat.Text.class, ResponseFormat.of(Jsons.parse("{}")));
        assertInstanceOf(ResponseFormat.Text.class, format("{\"type\":\"text\"}"));
        assertInstanceOf(ResponseFormat.AnyObject.class, format("{\"type\":\"json_object\"}"));
        assertInstanceOf(ResponseFormat.AnyObject.class, format("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}"),
                         "OpenAI's schema is optional");
        ResponseFormat.Schema schema = assertInstanceOf(ResponseFormat.Schema.class, format("""
                {"type":"json_schema","json_schema":{"name":"person","description":"Who","strict":true,
                 "schema":{"type":"object","properties":{"name":{"type":"string"}}}}}"""));
        assertEquals("person", schema.name());
        assertEquals(Optional.of("Who"), schema.description());
        assertTrue(schema.strict());
    }

    @Test
    void malformedFormatsNameTheirParam() {
        assertEquals("response_format", refused("[]"));
        assertEquals("response_format.type", refused("{}"));
        assertEquals("response_format.type", refused("{\"type\":\"xml\"}"));
        assertEquals("response_format.json_schema", refused("{\"type\":\"json_schema\",\"json_schema\":\"x\"}"));
        assertEquals("response_format.json_schema.name", refused("{\"type\":\"json_schema\",\"json_schema\":{\"name\":3}}"));
        assertEquals("response_format.json_schema.strict",
                     refused("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"strict\":\"yes\"}}"));
    }

    @Test
    void schemasTheApiCannotTakeAreRefused() {
        assertRefused("[]", "must be a JSON object");
        assertRefused("{\"type\":\"string\"}", "\"type\": \"object\" at its root");
        assertRefused("{\"properties\":{}}", "\"type\": \"object\" at its root");
        assertRefused("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"text\"}}}", "at properties.a.type");
        assertRefused("{\"type\":\"object\",\"properties\":[]}", "at properties: must be an object of schemas");
        assertRefused("{\"type\":\"object\",\"required\":\"a\"}", "at required");
        assertRefused("{\"type\":\"object\",\"properties\":{\"a\":{\"anyOf\":[]}}}", "at properties.a.anyOf");
        assertRefused("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"maxLength\":-1}}}",
                      "non-negative integer");
        assertRefused("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"https://example.com/a.json\"}}}",
                      "external references");
        assertRefused("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/missing\"}}}", "points at nothing");
        assertRefused("{\"type\":\"object\",\"properties\":{\"a\":7}}", "an object or a boolean");
    }

    @Test
    void validSchemasPass() {
        format(schemaFormat("""
                {"type":"object","$schema":"https://json-schema.org/draft/2020-12/schema",
                 "properties":{"tags":{"type":"array","items":{"$ref":"#/$defs/tag"},"minItems":2},
                   "size":{"type":["integer","null"],"minimum":0},"any":true,"node":{"$ref":"#"}},
                 "$defs":{"tag":{"type":"string","enum":["a","b"]}},"required":["tags"],"additionalProperties":false}"""));
    }

    @Test
    void olderDraftsAreReadInTheir2020Form() {
        // what the Vercel AI SDK sends for z.tuple([z.string(), z.number()]), and draft 4's exclusive bounds
        ResponseFormat.Schema schema = (ResponseFormat.Schema) format(schemaFormat("""
                {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{
                  "pair":{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":false,"minItems":2},
                  "open":{"type":"array","items":[{"type":"string"}]},
                  "list":{"type":"array","items":{"type":"string"},"additionalItems":false},
                  "p":{"type":"number","minimum":0,"exclusiveMinimum":true,"maximum":1,"exclusiveMaximum":false},
                  "e":{"const":{"items":[1]}}}}"""));

        assertEquals(Jsons.parse("""
                {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{
                  "pair":{"type":"array","prefixItems":[{"type":"string"},{"type":"number"}],"items":false,"minItems":2},
                  "open":{"type":"array","prefixItems":[{"type":"string"}]},
                  "list":{"type":"array","items":{"type":"string"}},
                  "p":{"type":"number","exclusiveMinimum":0,"maximum":1},
                  "e":{"const":{"items":[1]}}}}"""), schema.schema());
    }

    private static void assertRefused(String schema, String why) {
        GatewayException e = assertThrows(GatewayException.class, () -> format(schemaFormat(schema)));
        assertEquals("response_format.json_schema.schema", e.param().orElseThrow());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static String schemaFormat(String schema) {
        return "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":" + schema + "}}";
    }

    private static String refused(String responseFormat) {
        return assertThrows(GatewayException.class, () -> format(responseFormat)).param().orElseThrow();
    }

    private static ResponseFormat format(String responseFormat) {
        JsonObject body = Jsons.parse("{\"response_format\":" + responseFormat + "}");
        return ResponseFormat.of(body);
    }
}
