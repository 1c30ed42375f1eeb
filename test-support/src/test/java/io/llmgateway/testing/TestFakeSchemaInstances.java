package io.llmgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The fakes' schema instances against a real validator: every schema the zod-based clients send (the mock
 * backend's {@code schemas/zod.json}), and the keywords one by one.
 */
final class TestFakeSchemaInstances {

    static Stream<Arguments> zodSchemas() {
        return read("schemas/zod.json").entrySet().stream().map(entry -> arguments(entry.getKey(), entry.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zodSchemas")
    void validAgainstWhatZodSends(String name, JsonValue schema) {
        assertValid(schema);
    }

    @Test
    void stringsHonourFormatsLengthsAndPatterns() {
        assertEquals(Jsons.parseObject("""
                {"e":"user@example.com","d":"2024-01-15","s":"exa","l":"examplexxx","z":"12345","c":"on","n":null}"""),
                     assertValid("""
                {"type":"object","properties":{"e":{"type":"string","format":"email"},"d":{"format":"date"},
                 "s":{"type":"string","maxLength":3},"l":{"type":"string","minLength":10},
                 "z":{"type":"string","pattern":"^\\\\d{5}$"},"c":{"const":"on"},"n":{"type":"null"}}}"""));
    }

    @Test
    void numbersSitInsideTheirBoundsOnTheirStep() {
        assertEquals(Jsons.parseObject("""
                {"a":65,"b":5.5,"c":1,"d":11,"e":-6,"f":0,"g":2}"""), assertValid("""
                {"type":"object","properties":{"a":{"type":"integer","minimum":0,"maximum":130},
                 "b":{"type":"number","exclusiveMinimum":1,"exclusiveMaximum":10,"multipleOf":0.5},
                 "c":{"type":"number"},"d":{"type":"integer","minimum":10},"e":{"type":"integer","maximum":-5},
                 "f":{"type":"integer","multipleOf":3},
                 "g":{"$schema":"http://json-schema.org/draft-04/schema#","type":"integer","minimum":1,"exclusiveMinimum":true,"maximum":3,"exclusiveMaximum":true}}}"""));
    }

    @Test
    void arraysTakeTheirItemsAndTuples() {
        assertEquals(Jsons.parseObject("""
                {"one":["example"],"three":[true,true,true],"none":[],"tuple":["example",1]}"""), assertValid("""
                {"type":"object","properties":{"one":{"type":"array","items":{"type":"string"}},
                 "three":{"type":"array","items":{"type":"boolean"},"minItems":3},
                 "none":{"type":"array","maxItems":0},
                 "tuple":{"type":"array","prefixItems":[{"type":"string"},{"type":"number"}],"items":false}}}"""));
    }

    @Test
    void unionsNullablesAndReferences() {
        assertEquals(Jsons.parseObject("""
                {"u":"c","o":{"kind":"circle"},"t":"example","r":{"x":1},"d":{"x":1},"all":{"a":true,"b":true}}"""),
                     assertValid("""
                {"type":"object","$defs":{"P":{"type":"object","properties":{"x":{"type":"integer"}},"required":["x"]}},
                 "definitions":{"Q":{"$ref":"#/$defs/P"}},
                 "properties":{"u":{"anyOf":[{"type":"null"},{"type":"string","enum":["c","f"]}]},
                 "o":{"oneOf":[{"type":"object","properties":{"kind":{"const":"circle"}}},{"type":"object","properties":{"kind":{"const":"square"}}}]},
                 "t":{"type":["null","string"]},"r":{"$ref":"#/$defs/P"},"d":{"$ref":"#/definitions/Q"},
                 "all":{"allOf":[{"properties":{"a":{"type":"boolean"}},"required":["a"]},{"properties":{"b":{"type":"boolean"}}}]}}}"""));
    }

    @Test
    void recursionEndsWhereTheSchemaAllows() {
        assertValid("""
                {"type":"object","properties":{"value":{"type":"string"},"next":{"anyOf":[{"$ref":"#"},{"type":"null"}]},
                 "children":{"type":"array","items":{"$ref":"#"}}},"required":["value","next","children"]}""");
        assertThrows(IllegalArgumentException.class, () -> FakeSchemaInstances.of(Jsons.parseObject("""
                {"type":"object","properties":{"next":{"$ref":"#"}},"required":["next"]}""")));
    }

    @Test
    void constraintsMovedIntoTheDescriptionCount() {
        // as the gateway's native structured outputs write what constrained decoding does not enforce
        assertEquals(Jsons.parseObject("{\"year\":1994}"), FakeSchemaInstances.of(Jsons.parseObject("""
                {"type":"object","properties":{"year":{"type":"integer","description":"The year\\n\\n{\\"minimum\\":1888,\\"maximum\\":2100}"}}}""")));
    }

    private static JsonValue assertValid(String schema) {
        return assertValid(Jsons.parseObject(schema));
    }

    private static JsonValue assertValid(JsonValue schema) {
        JsonValue instance = FakeSchemaInstances.of(schema);
        List<String> errors = SchemaValidator.errors(schema, instance);
        assertTrue(errors.isEmpty(), () -> instance + " is invalid: " + errors);
        return instance;
    }

    private static Map<String, JsonValue> read(String resource) {
        try (InputStream in = TestFakeSchemaInstances.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            JsonObject object = Jsons.parseObject(in.readAllBytes());
            if (object == null) {
                throw new IllegalStateException(resource + " is not a JSON object");
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
