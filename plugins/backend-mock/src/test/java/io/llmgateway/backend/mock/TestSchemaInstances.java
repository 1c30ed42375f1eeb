package io.llmgateway.backend.mock;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.llmgateway.api.GatewayException;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

final class TestSchemaInstances {

    /** Different inputs, so that different seeds and words are tried on every schema. */
    private static final List<String> INPUTS = List.of("", "What is the weather in Paris?", "Book a table for 4 at 8pm",
                                                       "Ünïcödé wörds ünd ümläüts", "x", "1 2 3 4 5 6 7 8 9 10",
                                                       "Summarise: the quick brown fox jumps over the lazy dog");

    static Stream<Arguments> schemas() {
        List<Arguments> all = new ArrayList<>();
        for (String file : List.of("handwritten.json", "zod.json", "pydantic.json")) {
            for (Map.Entry<String, JsonValue> entry : read("schemas/" + file).entrySet()) {
                all.add(arguments(entry.getKey(), entry.getValue()));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void generatesValidInstances(String name, JsonValue schema) {
        for (String input : INPUTS) {
            JsonValue instance = SchemaInstances.generate(schema, "schema", Seed.of(name + input), Words.of(input));

            List<String> errors = SchemaValidator.errors(schema, instance);
            assertTrue(errors.isEmpty(), () -> name + " for input '" + input + "': " + instance + " is invalid: " + errors);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void sameInputSameInstance(String name, JsonValue schema) {
        JsonValue first = SchemaInstances.generate(schema, "schema", Seed.of("seed"), Words.of("some words here"));
        JsonValue second = SchemaInstances.generate(schema, "schema", Seed.of("seed"), Words.of("some words here"));

        assertEquals(first, second);
    }

    @Test
    void stringsAreMadeOfTheInputsWords() {
        JsonValue schema = json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

        JsonObject instance = SchemaInstances.generate(schema, "schema", Seed.of("a"), Words.of("Paris")).asJsonObject();

        assertEquals("Paris", instance.getString("city"));
    }

    @Test
    void differentInputsGiveDifferentInstances() {
        JsonValue schema = read("schemas/handwritten.json").get("integers");

        assertNotEquals(SchemaInstances.generate(schema, "schema", Seed.of("one"), Words.of("one")),
                        SchemaInstances.generate(schema, "schema", Seed.of("two"), Words.of("two")));
    }

    @Test
    void safeIntegerBoundsGiveSmallNumbers() {
        // zod's z.number().int()
        JsonValue schema = json("{\"type\":\"integer\",\"minimum\":-9007199254740991,\"maximum\":9007199254740991}");

        for (String input : INPUTS) {
            long value = ((JsonNumber) SchemaInstances.generate(schema, "s", Seed.of(input), Words.of(input)))
                    .longValueExact();
            assertTrue(value >= 0 && value <= 100, () -> Long.toString(value));
        }
    }

    @Test
    void recursiveSchemasEnd() {
        JsonValue schema = json("{\"type\":\"object\",\"properties\":{\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"},"
                                        + "\"minItems\":1}},\"required\":[\"kids\"]}");

        GatewayException error = assertThrows(GatewayException.class, () -> SchemaInstances.generate(
                schema, "response_format.json_schema.schema", Seed.of("x"), Words.of("x")));

        assertEquals(400, error.status());
        assertTrue(error.param().orElseThrow().startsWith("response_format.json_schema.schema"), error.param()::toString);
    }

    static Stream<Arguments> unsatisfiable() {
        return Stream.of(
                arguments("{\"type\":\"strin\"}", "p.type"),
                arguments("{\"type\":7}", "p.type"),
                arguments("{\"$ref\":\"https://example.com/s.json\"}", "p.$ref"),
                arguments("{\"$ref\":\"#/$defs/Missing\"}", "p.$ref"),
                arguments("{\"$ref\":\"#/$defs/A\",\"$defs\":{\"A\":{\"$ref\":\"#/$defs/A\"}}}", "p.$defs.A.$ref"),
                arguments("{\"type\":\"integer\",\"minimum\":5,\"maximum\":4}", "p.minimum"),
                arguments("{\"type\":\"integer\",\"minimum\":1,\"maximum\":2,\"multipleOf\":5}", "p.multipleOf"),
                arguments("{\"type\":\"number\",\"multipleOf\":0}", "p.multipleOf"),
                arguments("{\"type\":\"string\",\"minLength\":5,\"maxLength\":4}", "p.minLength"),
                arguments("{\"type\":\"string\",\"pattern\":\"[\"}", "p.pattern"),
                arguments("{\"type\":\"string\",\"pattern\":\"^a+$\",\"minLength\":50}", "p.pattern"),
                arguments("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\",\"b\"],"
                                  + "\"additionalProperties\":false}", "p.required"),
                arguments("{\"type\":\"object\",\"required\":[\"a\",\"b\"],\"maxProperties\":1}", "p.maxProperties"),
                arguments("{\"type\":\"array\",\"minItems\":3,\"maxItems\":2}", "p.minItems"),
                arguments("{\"type\":\"array\",\"items\":{\"enum\":[1,2]},\"minItems\":3,\"uniqueItems\":true}", "p.uniqueItems"),
                arguments("{\"type\":\"object\",\"properties\":{\"a\":false},\"required\":[\"a\"]}", "p.properties.a"),
                arguments("{\"enum\":[]}", "p.enum"),
                arguments("{\"allOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", "p.allOf[1]"),
                arguments("{\"anyOf\":[]}", "p.anyOf"),
                arguments("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"^(?!a)a$\"}},"
                                  + "\"required\":[\"a\"]}", "p.properties.a.pattern"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsatisfiable")
    void namesTheKeywordItCannotSatisfy(String schema, String param) {
        GatewayException error = assertThrows(GatewayException.class,
                                              () -> SchemaInstances.generate(json(schema), "p", Seed.of(schema), Words.of("w")));

        assertEquals(400, error.status());
        assertEquals(param, error.param().orElseThrow(), error.getMessage());
    }

    private static JsonObject read(String resource) {
        try (InputStream in = TestSchemaInstances.class.getClassLoader().getResourceAsStream(resource);
             JsonReader reader = Json.createReader(in)) {
            return reader.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonValue json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }
}
