package io.llmgateway.backend.mock;

import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;
import io.llmgateway.testing.TestExchange;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestMockToolsAndFormats {

    private static final String WEATHER = """
            {"type":"function","function":{"name":"get_weather","description":"Weather for a city","parameters":
             {"type":"object","properties":{"city":{"type":"string"},"unit":{"enum":["c","f"]},
              "days":{"type":"integer","minimum":1,"maximum":7}},"required":["city","unit","days"],
              "additionalProperties":false}}}""";
    private static final String TIME = """
            {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":
             {"zone":{"type":"string","pattern":"^[A-Z][a-z]+/[A-Z][a-z]+$"}},"required":["zone"]}}}""";
    private static final String NO_PARAMETERS = """
            {"type":"function","function":{"name":"ping"}}""";
    private static final String TOOLS = "\"tools\":[" + WEATHER + "," + TIME + "]";

    private final MockBackend backend = new MockBackend(Optional.empty(), Duration.ZERO, Clock.systemUTC());

    @Test
    void callsTheFirstToolWhenTheUserNamesNone() {
        ChatCompletion completion = answer(user("What is the weather in Paris?"), "{" + TOOLS + "}");

        assertEquals(FinishReason.TOOL_CALLS, completion.finishReason());
        assertEquals(1, completion.toolCalls().size());
        ToolCall call = completion.toolCalls().getFirst();
        assertEquals("get_weather", call.name());
        assertTrue(call.id().matches("call_[0-9a-f]{24}"), call.id());
        assertValid(WEATHER, call.arguments());
        assertEquals("", completion.text());
    }

    @Test
    void callsEveryToolTheUserNamesInTheirOrder() {
        ChatCompletion completion = answer(user("Call get_time, then get weather for Oslo"), "{" + TOOLS + "}");

        assertEquals(List.of("get_time", "get_weather"), completion.toolCalls().stream().map(ToolCall::name).toList());
        assertValid(TIME, completion.toolCalls().get(0).arguments());
        assertValid(WEATHER, completion.toolCalls().get(1).arguments());
        assertTrue(!completion.toolCalls().get(0).id().equals(completion.toolCalls().get(1).id()), "distinct ids");
    }

    @Test
    void oneCallWithoutParallelToolCalls() {
        ChatCompletion completion = answer(user("Call get_time, then get_weather"),
                                           "{" + TOOLS + ",\"parallel_tool_calls\":false}");

        assertEquals(List.of("get_time"), completion.toolCalls().stream().map(ToolCall::name).toList());
    }

    @Test
    void aNamedToolChoiceWins() {
        ChatCompletion completion = answer(user("Call get_weather"),
                                           "{" + TOOLS + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}}");

        assertEquals(List.of("get_time"), completion.toolCalls().stream().map(ToolCall::name).toList());
    }

    @Test
    void toolChoiceNoneAnswersText() {
        ChatCompletion completion = answer(user("Call get_weather"), "{" + TOOLS + ",\"tool_choice\":\"none\"}");

        assertEquals(List.of(), completion.toolCalls());
        assertEquals("Mock answer from mock to: Call get_weather", completion.text());
        assertEquals(FinishReason.STOP, completion.finishReason());
    }

    @Test
    void aToolWithoutParametersGetsAnEmptyObject() {
        ChatCompletion completion = answer(user("ping"), "{\"tools\":[" + NO_PARAMETERS + "]}");

        assertEquals("{}", completion.toolCalls().getFirst().arguments());
    }

    @Test
    void answersTheToolResultsByQuotingThem() {
        ChatCompletion first = answer(user("Call get_time and get_weather"), "{" + TOOLS + "}");
        List<ChatMessage> history = new ArrayList<>(user("Call get_time and get_weather"));
        history.add(new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(), first.toolCalls(), Optional.empty()));
        history.add(tool(first.toolCalls().get(0).id(), "12:00 in Europe/Paris"));
        history.add(tool(first.toolCalls().get(1).id(), "{\"temperature\":21}"));

        ChatCompletion completion = answer(history, "{" + TOOLS + "}");

        assertEquals(List.of(), completion.toolCalls());
        assertEquals(FinishReason.STOP, completion.finishReason());
        assertEquals("Mock answer from mock using the tool results: get_time returned 12:00 in Europe/Paris;"
                             + " get_weather returned {\"temperature\":21}", completion.text());
    }

    @Test
    void requiredCallsEvenAfterToolResults() {
        List<ChatMessage> history = new ArrayList<>(user("weather?"));
        history.add(new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(),
                                    List.of(new ToolCall("call_1", "get_weather", "{}")), Optional.empty()));
        history.add(tool("call_1", "sunny"));

        ChatCompletion completion = answer(history, "{" + TOOLS + ",\"tool_choice\":\"required\"}");

        assertEquals(FinishReason.TOOL_CALLS, completion.finishReason());
        assertEquals("get_weather", completion.toolCalls().getFirst().name());
    }

    @Test
    void streamsACallAsOpenAiDoes() {
        List<ChatDelta> deltas = run(request(user("weather in Rome"), "{" + TOOLS + "}", OptionalInt.empty()));

        List<ChatDelta.ToolCallFragment> fragments = deltas.stream().filter(ChatDelta.ToolCallFragment.class::isInstance)
                .map(ChatDelta.ToolCallFragment.class::cast).toList();
        ChatDelta.ToolCallFragment first = fragments.getFirst();
        assertAll(() -> assertTrue(first.id().isPresent()),
                  () -> assertEquals(Optional.of("get_weather"), first.name()),
                  () -> assertEquals("", first.arguments()),
                  () -> assertTrue(fragments.size() > 3, "arguments in several pieces"),
                  () -> assertTrue(fragments.stream().skip(1).allMatch(f -> f.id().isEmpty() && f.name().isEmpty())));
        ChatCompletion completion = ChatCompletion.of(deltas);
        assertEquals(fragments.size(), completion.usage().orElseThrow().completionTokens());
    }

    @Test
    void sameRequestSameCalls() {
        ChatRequest request = request(user("Call get_time and get_weather"), "{" + TOOLS + "}", OptionalInt.empty());

        assertEquals(run(request), run(request));
    }

    @Test
    void maxTokensCutsACallWithLength() {
        ChatCompletion completion = ChatCompletion.of(run(request(user("weather"), "{" + TOOLS + "}", OptionalInt.of(3))));

        assertEquals(FinishReason.LENGTH, completion.finishReason());
        assertEquals(3, completion.usage().orElseThrow().completionTokens());
    }

    @Test
    void aBrokenSchemaIsABadRequestNamingIt() {
        String broken = "{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"x\":{\"type\":\"text\"}},\"required\":[\"x\"]}}}";

        GatewayException error = assertThrows(GatewayException.class, () -> answer(
                user("hi"), "{\"tools\":[" + WEATHER + "," + broken + "]}"));

        assertEquals(400, error.status());
        assertEquals(Optional.of("tools[1].function.parameters.properties.x.type"), error.param());
    }

    @Test
    void jsonSchemaAnswersAValidRepeatableDocument() {
        String schema = """
                {"type":"object","properties":{"title":{"type":"string","maxLength":40},
                 "tags":{"type":"array","items":{"type":"string"},"minItems":2},
                 "rating":{"type":"number","minimum":0,"maximum":5}},"required":["title","tags","rating"],
                 "additionalProperties":false}""";
        String body = "{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"review\",\"strict\":true,"
                + "\"schema\":" + schema + "}}}";

        ChatCompletion completion = answer(user("Review the film Alien"), body);

        assertEquals(FinishReason.STOP, completion.finishReason());
        assertEquals(List.of(), SchemaValidator.errors(json(schema), json(completion.text())));
        assertEquals(completion.text(), answer(user("Review the film Alien"), body).text());
        assertTrue(completion.text().matches(".*(Review|the|film|Alien).*"), completion.text());
    }

    @Test
    void jsonSchemaAfterToolResultsIsMadeOfTheResults() {
        List<ChatMessage> history = new ArrayList<>(user("weather?"));
        history.add(new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(),
                                    List.of(new ToolCall("call_1", "get_weather", "{}")), Optional.empty()));
        history.add(tool("call_1", "sunny"));
        String body = "{" + TOOLS + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\","
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"sky\":{\"type\":\"string\"}},\"required\":[\"sky\"]}}}}";

        assertEquals("{\"sky\":\"sunny\"}", answer(history, body).text());
    }

    @Test
    void jsonObjectWrapsTheAnswer() {
        ChatCompletion completion = answer(user("Give me JSON"), "{\"response_format\":{\"type\":\"json_object\"}}");

        assertEquals("{\"answer\":\"Mock answer from mock to: Give me JSON\"}", completion.text());
    }

    @Test
    void jsonObjectTakesAFixedJsonAnswerAsItIs() {
        MockBackend fixed = new MockBackend(Optional.of("{\"ok\": true}"), Duration.ZERO, Clock.systemUTC());
        List<ChatDelta> deltas = new ArrayList<>();
        fixed.chat(new TestExchange(request(user("x"), "{\"response_format\":{\"type\":\"json_object\"}}",
                                            OptionalInt.empty()), Instant.MAX), deltas::add);

        assertEquals("{\"ok\":true}", ChatCompletion.of(deltas).text());
    }

    @Test
    void describesTheImagesItIsShown() {
        List<ChatMessage> messages = List.of(new ChatMessage(Role.USER, List.of(
                new ContentPart.Text("What is this?"),
                new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", Optional.empty()),
                new ContentPart.Image("https://example.com/cat.jpg", Optional.of("low"))),
                Optional.empty(), List.of(), Optional.empty()));

        assertEquals("Mock answer from mock to: What is this? [image: image/png, 8 bytes] [image: https://example.com/cat.jpg]",
                     answer(messages, "{}").text());
    }

    @Test
    void aDataUrlThatIsNotBase64IsABadRequest() {
        List<ChatMessage> messages = List.of(new ChatMessage(Role.USER, List.of(
                new ContentPart.Text("What is this?"), new ContentPart.Image("data:image/png,rawbytes", Optional.empty())),
                Optional.empty(), List.of(), Optional.empty()));

        GatewayException error = assertThrows(GatewayException.class, () -> answer(messages, "{}"));

        assertEquals(Optional.of("messages[0].content[1].image_url.url"), error.param());
    }

    private void assertValid(String tool, String arguments) {
        JsonValue schema = json(tool).asJsonObject().getJsonObject("function").get("parameters");
        assertEquals(List.of(), SchemaValidator.errors(schema, json(arguments)), arguments);
    }

    private ChatCompletion answer(List<ChatMessage> messages, String body) {
        return ChatCompletion.of(run(request(messages, body, OptionalInt.empty())));
    }

    private List<ChatDelta> run(ChatRequest request) {
        List<ChatDelta> deltas = new ArrayList<>();
        backend.chat(new TestExchange(request, Instant.MAX), deltas::add);
        return deltas;
    }

    private static List<ChatMessage> user(String text) {
        return List.of(ChatMessage.of(Role.USER, text));
    }

    private static ChatMessage tool(String id, String text) {
        return new ChatMessage(Role.TOOL, List.of(new ContentPart.Text(text)), Optional.empty(), List.of(), Optional.of(id));
    }

    private static ChatRequest request(List<ChatMessage> messages, String body, OptionalInt maxTokens) {
        return new ChatRequest("mock", messages, maxTokens, OptionalDouble.empty(), OptionalDouble.empty(), List.of(), false,
                               false, Optional.empty(), OptionalLong.empty(), Map.of(), (JsonObject) json(body));
    }

    private static JsonValue json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }
}
