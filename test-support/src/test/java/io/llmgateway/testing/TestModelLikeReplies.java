package io.llmgateway.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake Anthropic API's model-like reply function, request by request. */
final class TestModelLikeReplies {

    private static final String WEATHER = """
            {"name":"get_weather","description":"The weather","input_schema":{"type":"object",
             "properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},
             "required":["city","unit"],"additionalProperties":false}}""";
    private static final String TIME = """
            {"name":"get_time","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""";
    private static final String ANSWER = """
            {"name":"json_answer","description":"The answer","input_schema":{"type":"object",
             "properties":{"year":{"type":"integer","minimum":1888,"maximum":2100}},"required":["year"]}}""";
    private static final String ASK_WEATHER = """
            {"role":"user","content":"What is the weather in Paris? Use the get_weather tool."}""";
    private static final String CALLED_WEATHER = """
            {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"{\\"temperature\\":18}"}]}""";

    private final ModelLikeReplies replies = new ModelLikeReplies();

    @Test
    void callsTheToolTheUserNamesWithValidArguments() {
        Reply.ToolUse use = assertInstanceOf(Reply.ToolUse.class, reply("[" + TIME + "," + WEATHER + "]", "", ASK_WEATHER));

        assertEquals(List.of("get_weather"), use.calls().stream().map(Reply.ToolCall::name).toList());
        assertValid(WEATHER, use.calls().getFirst().input());
        assertEquals("Let me call get_weather.", use.text(), "words before a call the model chose freely");
    }

    @Test
    void callsEveryNamedToolAtOnceUnlessParallelCallsAreOff() {
        String ask = """
                {"role":"user","content":[{"type":"text","text":"Call get_weather and get_time for Rome."}]}""";

        Reply.ToolUse both = assertInstanceOf(Reply.ToolUse.class, reply("[" + WEATHER + "," + TIME + "]",
                                                                           "{\"type\":\"any\"}", ask));
        Reply.ToolUse one = assertInstanceOf(Reply.ToolUse.class, reply("[" + WEATHER + "," + TIME + "]",
                                                                          "{\"type\":\"any\",\"disable_parallel_tool_use\":true}", ask));

        assertEquals(List.of("get_weather", "get_time"), both.calls().stream().map(Reply.ToolCall::name).toList());
        assertEquals("", both.text(), "the API prefills a forced call");
        assertEquals(1, one.calls().size());
    }

    @Test
    void callsTheFirstToolWhenNoneIsNamedAndTheForcedOneWhateverCameBefore() {
        Reply.ToolUse first = assertInstanceOf(Reply.ToolUse.class, reply("[" + TIME + "," + WEATHER + "]", "", """
                {"role":"user","content":"Hello"}"""));
        Reply.ToolUse forced = assertInstanceOf(Reply.ToolUse.class, reply("[" + WEATHER + "," + TIME + "]", """
                {"type":"tool","name":"get_time"}""", ASK_WEATHER + "," + CALLED_WEATHER));

        assertEquals("get_time", first.calls().getFirst().name());
        assertEquals("get_time", forced.calls().getFirst().name());
    }

    @Test
    void answersTheToolResultsWithText() {
        Reply.Text text = assertInstanceOf(Reply.Text.class, reply("[" + WEATHER + "]", "", ASK_WEATHER + "," + CALLED_WEATHER));

        assertEquals("Here is what I found: get_weather returned {\"temperature\":18}.", text.text());
        assertTrue(text.deltas().size() > 1, "in pieces");
    }

    @Test
    void structuredOutputThroughTheAnswerTool() {
        Reply.ToolUse alone = assertInstanceOf(Reply.ToolUse.class, reply("[" + ANSWER + "]", """
                {"type":"tool","name":"json_answer"}""", ASK_WEATHER));
        Reply.ToolUse withTools = assertInstanceOf(Reply.ToolUse.class, reply("[" + WEATHER + "," + ANSWER + "]", """
                {"type":"any"}""", ASK_WEATHER));
        Reply.ToolUse afterResults = assertInstanceOf(Reply.ToolUse.class, reply("[" + WEATHER + "," + ANSWER + "]", """
                {"type":"any"}""", ASK_WEATHER + "," + CALLED_WEATHER));

        assertEquals(Jsons.parseObject("{\"year\":1994}"), alone.calls().getFirst().input());
        assertEquals("get_weather", withTools.calls().getFirst().name(), "a client tool first");
        assertEquals("json_answer", afterResults.calls().getFirst().name(), "then the answer");
    }

    @Test
    void nativeStructuredOutputIsTheDocumentAsText() {
        Reply.Text text = assertInstanceOf(Reply.Text.class, reply(body("", "", ASK_WEATHER, """
                ,"output_config":{"format":{"type":"json_schema","schema":{"type":"object",
                 "properties":{"title":{"type":"string"},"stars":{"type":"integer","description":"{\\"minimum\\":1,\\"maximum\\":5}"}},
                 "required":["title","stars"],"additionalProperties":false}}}""")));

        assertEquals(Jsons.parseObject("{\"title\":\"example\",\"stars\":3}"), Jsons.parseObject(text.text()));
        assertTrue(text.deltas().size() > 1, "in pieces");
    }

    @Test
    void theClisToolNamesCountByTheirLastPart() {
        String cliWeather = WEATHER.replace("\"get_weather\"", "\"mcp__gw__get_weather\"");
        String cliTime = TIME.replace("\"get_time\"", "\"mcp__gw__get_time\"");
        String structured = ANSWER.replace("\"json_answer\"", "\"StructuredOutput\"");

        Reply.ToolUse use = assertInstanceOf(Reply.ToolUse.class, reply("[" + cliTime + "," + cliWeather + "," + structured + "]",
                                                                          "", ASK_WEATHER));
        Reply.Text text = assertInstanceOf(Reply.Text.class, reply("[" + cliWeather + "]", "",
                ASK_WEATHER + "," + CALLED_WEATHER.replace("\"get_weather\"", "\"mcp__gw__get_weather\"")));
        Reply.ToolUse answer = assertInstanceOf(Reply.ToolUse.class, reply("[" + cliWeather + "," + structured + "]", "",
                ASK_WEATHER + "," + CALLED_WEATHER.replace("\"get_weather\"", "\"mcp__gw__get_weather\"")));

        assertEquals("mcp__gw__get_weather", use.calls().getFirst().name());
        assertTrue(text.text().contains("get_weather returned"), text.text());
        assertEquals("StructuredOutput", answer.calls().getFirst().name());
    }

    @Test
    void plainRequestsAndToolChoiceNoneGetTheDefaultReply() {
        assertNull(reply("", "", ASK_WEATHER));
        assertNull(reply("[" + WEATHER + "]", "{\"type\":\"none\"}", ASK_WEATHER));
    }

    private Reply reply(String tools, String choice, String messages) {
        return reply(body(tools, choice, messages, ""));
    }

    private Reply reply(JsonObject body) {
        return replies.apply(new RecordedRequest("POST", "/v1/messages", Map.of(), body, Instant.EPOCH));
    }

    private static JsonObject body(String tools, String choice, String messages, String more) {
        return Jsons.parseObject("{\"model\":\"claude-test\",\"max_tokens\":100,\"messages\":[" + messages + "]"
                                         + (tools.isEmpty() ? "" : ",\"tools\":" + tools)
                                         + (choice.isEmpty() ? "" : ",\"tool_choice\":" + choice) + more + "}");
    }

    private static void assertValid(String tool, JsonObject input) {
        List<String> errors = SchemaValidator.errors(Jsons.parseObject(tool).get("input_schema"), input);
        assertTrue(errors.isEmpty(), () -> input + ": " + errors);
    }
}
