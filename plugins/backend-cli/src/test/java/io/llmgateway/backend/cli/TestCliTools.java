package io.llmgateway.backend.cli;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.ToolCall;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.Reply;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The client's functions, response schemas and images through the cli backend on the real {@code claude}
 * binary ({@code LLM_TEST_CLAUDE}; skipped without it), against the fake Anthropic API, which records what the
 * CLI sends upstream and answers {@code tool_use} for the {@code mcp__gw__} tools.
 */
final class TestCliTools {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final FakeAnthropicApi api = FakeAnthropicApi.start();

    @BeforeEach
    void needsClaude() {
        assumeTrue(CliFixture.realClaude().isPresent(), "LLM_TEST_CLAUDE names no claude binary: real-CLI tests skipped");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aToolRoundTripContinuesOnTheSameWarmSession() {
        api.replyWith(upstream -> upstream.toolResults().isEmpty()
                ? Reply.toolUse("Let me look.", Reply.ToolCall.of("mcp__gw__get_weather", city("Paris")))
                : Reply.text("It is " + String.join(" and ", upstream.toolResults().values()) + " in Paris."));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of()).awaitUp()) {
            ChatMessage question = ChatMessage.of(Role.USER, "What is the weather in Paris?");
            CliFixture.Answer first = cli.chat(request(List.of(question), tools("get_weather", "get_time"), false));

            ChatCompletion calling = first.completion();
            assertEquals(FinishReason.TOOL_CALLS, calling.finishReason());
            assertEquals("Let me look.", calling.text());
            ToolCall call = calling.toolCalls().getFirst();
            assertEquals("get_weather", call.name());
            assertEquals(city("Paris"), json(call.arguments()));
            assertTrue(call.id().startsWith("toolu_"), call.id());
            RecordedRequest asked = api.requests().getFirst();
            assertEquals(List.of("mcp__gw__get_time", "mcp__gw__get_weather"), asked.toolNames().stream().sorted().toList());
            assertEquals("awaiting_tools", cli.sessions().getFirst().state());

            CliFixture.Answer second = cli.chat(request(List.of(question, calling(calling), result(call.id(), "sunny")),
                                                        tools("get_weather", "get_time"), false));

            assertEquals("It is sunny in Paris.", second.text());
            assertEquals(FinishReason.STOP, second.completion().finishReason());
            assertEquals("true", second.annotations().get("tool_continuation"));
            assertEquals(Map.of(call.id(), "sunny"), api.requests().getLast().toolResults());
            assertEquals(1, cli.counter("llm_cli_spawns_total"), "no spawn for the continuation");
            assertEquals(0, cli.counter("llm_cli_resets_total"), "no /clear for the continuation");
            assertEquals(1, cli.counter("llm_cli_tool_continuations_total"));
            assertEquals("idle", cli.sessions().getFirst().state());
        }
    }

    @Test
    void parallelCallsAreAnsweredTogether() {
        api.replyWith(upstream -> upstream.toolResults().isEmpty()
                ? Reply.toolUse("", Reply.ToolCall.of("mcp__gw__get_weather", city("Paris")),
                                Reply.ToolCall.of("mcp__gw__get_time", city("Rome")))
                : Reply.text(String.join(", ", upstream.toolResults().values())));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of()).awaitUp()) {
            ChatMessage question = ChatMessage.of(Role.USER, "Weather in Paris, time in Rome?");
            ChatCompletion calling = cli.chat(request(List.of(question), tools("get_weather", "get_time"), false)).completion();

            assertEquals(List.of("get_weather", "get_time"), calling.toolCalls().stream().map(ToolCall::name).toList());
            List<ToolCall> calls = calling.toolCalls();
            CliFixture.Answer answer = cli.chat(request(List.of(question, calling(calling), result(calls.get(0).id(), "sunny"),
                                                                result(calls.get(1).id(), "noon")),
                                                        tools("get_weather", "get_time"), false));

            assertEquals("sunny, noon", answer.text());
            assertEquals(Map.of(calls.get(0).id(), "sunny", calls.get(1).id(), "noon"), api.requests().getLast().toolResults());
            assertEquals(1, cli.counter("llm_cli_tool_continuations_total"));
        }
    }

    @Test
    void streamedCallsArriveAsToolCallDeltas() {
        api.replyWith(upstream -> upstream.toolResults().isEmpty()
                ? Reply.toolUse("", Reply.ToolCall.of("mcp__gw__get_weather", city("Oslo")))
                : Reply.text("Cold", " in", " Oslo."));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of()).awaitUp()) {
            ChatMessage question = ChatMessage.of(Role.USER, "Weather in Oslo?");
            CliFixture.Answer first = cli.chat(request(List.of(question), tools("get_weather"), true));

            List<ChatDelta.ToolCallFragment> fragments = first.deltas().stream()
                    .filter(ChatDelta.ToolCallFragment.class::isInstance).map(ChatDelta.ToolCallFragment.class::cast).toList();
            assertTrue(fragments.size() >= 2, "a head and argument fragments: " + fragments);
            assertEquals(Optional.of("get_weather"), fragments.getFirst().name());
            assertTrue(fragments.getFirst().id().isPresent());
            assertEquals(new ChatDelta.Finish(FinishReason.TOOL_CALLS),
                         first.deltas().stream().filter(ChatDelta.Finish.class::isInstance).findFirst().orElseThrow());
            ToolCall call = first.completion().toolCalls().getFirst();
            assertEquals(city("Oslo"), json(call.arguments()));

            CliFixture.Answer second = cli.chat(request(List.of(question, calling(first.completion()), result(call.id(), "-5 C")),
                                                        tools("get_weather"), true));
            assertEquals("Cold in Oslo.", second.text());
            assertTrue(second.textDeltas() >= 2, "streamed: " + second.deltas());
        }
    }

    @Test
    void toolChoiceNoneListsNoFunctionsAndANamedOneOnlyThatOne() {
        api.replyWith(upstream -> upstream.toolNames().isEmpty() ? Reply.text("No tools.")
                : Reply.toolUse("", Reply.ToolCall.of(upstream.toolNames().getFirst(), city("Lima"))));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of()).awaitUp()) {
            JsonObject none = with(tools("get_weather", "get_time"), "tool_choice", Json.createValue("none"));
            assertEquals("No tools.", cli.chat(request(List.of(ChatMessage.of(Role.USER, "Hi")), none, false)).text());
            assertEquals(List.of(), api.requests().getLast().toolNames());

            JsonObject named = with(tools("get_weather", "get_time"), "tool_choice", Json.createObjectBuilder()
                    .add("type", "function").add("function", Json.createObjectBuilder().add("name", "get_time")).build());
            ChatCompletion forced = cli.chat(request(List.of(ChatMessage.of(Role.USER, "Time in Lima?")), named, false))
                    .completion();
            assertEquals("get_time", forced.toolCalls().getFirst().name());
            assertEquals(List.of("mcp__gw__get_time"), api.requests().getLast().toolNames());
            assertTrue(api.requests().getLast().lastUserText().contains("calling the tool get_time"));
        }
    }

    @Test
    void toolChoiceRequiredAsksTheModelAndAnUnknownNamedChoiceIsA400() {
        api.replyWith(upstream -> Reply.toolUse("", Reply.ToolCall.of("mcp__gw__get_weather", city("Kyiv"))));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of()).awaitUp()) {
            JsonObject required = with(tools("get_weather"), "tool_choice", Json.createValue("required"));
            ChatCompletion answer = cli.chat(request(List.of(ChatMessage.of(Role.USER, "Kyiv?")), required, false))
                    .completion();

            assertEquals(FinishReason.TOOL_CALLS, answer.finishReason());
            assertEquals(List.of("mcp__gw__get_weather"), api.requests().getLast().toolNames());
            assertTrue(api.requests().getLast().lastUserText().contains("calling one or more of your tools"));

            JsonObject unknown = with(tools("get_weather"), "tool_choice", Json.createObjectBuilder()
                    .add("type", "function").add("function", Json.createObjectBuilder().add("name", "nope")).build());
            GatewayException refused = assertThrows(GatewayException.class, () -> cli.chat(
                    request(List.of(ChatMessage.of(Role.USER, "Hi")), unknown, false)));
            assertEquals("tool_choice", refused.param().orElseThrow());
        }
    }

    @Test
    void aClientThatNeverBringsTheResultsTimesOutAndTheSessionIsReset() {
        api.replyWith(upstream -> upstream.toolResults().isEmpty() && !upstream.lastUserText().contains("[result of tool call")
                ? Reply.toolUse("", Reply.ToolCall.of("mcp__gw__get_weather", city("Nuuk")))
                : Reply.text("Served from the whole history."));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of("LLM_CLI_TOOL_RESULT_TIMEOUT", "2")).awaitUp()) {
            ChatMessage question = ChatMessage.of(Role.USER, "Weather in Nuuk?");
            ChatCompletion calling = cli.chat(request(List.of(question), tools("get_weather"), false)).completion();
            assertEquals("awaiting_tools", cli.sessions().getFirst().state());

            CliFixture.await(() -> cli.counter("llm_cli_tool_result_timeouts_total") == 1
                                     && cli.sessions().getFirst().state().equals("idle"), WAIT,
                             () -> "the wait did not time out: " + cli.sessions());
            assertEquals(1, cli.counter("llm_cli_resets_total"));
            assertEquals(0, cli.sessions().getFirst().turnsHeld(), "the context was reset");

            // the client comes back late: no session waits for its calls, so the whole dialogue goes to a clean one
            CliFixture.Answer late = cli.chat(request(List.of(question, calling(calling),
                                                              result(calling.toolCalls().getFirst().id(), "snow")),
                                                      tools("get_weather"), false));
            assertEquals("Served from the whole history.", late.text());
            assertEquals(null, late.annotations().get("tool_continuation"));
            assertTrue(api.requests().getLast().lastUserText().contains("[result of tool call"));
            assertEquals(1, cli.counter("llm_cli_spawns_total"));
        }
    }

    @Test
    void aNewConversationWithOtherFunctionsListsExactlyThoseOnTheWarmSession() {
        api.replyWith(upstream -> Reply.text("Hello."));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of()).awaitUp()) {
            cli.chat(request(List.of(ChatMessage.of(Role.USER, "First")), tools("get_weather"), false));
            assertEquals(List.of("mcp__gw__get_weather"), api.requests().getLast().toolNames());

            cli.chat(request(List.of(ChatMessage.of(Role.USER, "Second")), tools("get_time", "get_tide"), false));

            assertEquals(List.of("mcp__gw__get_tide", "mcp__gw__get_time"),
                         api.requests().getLast().toolNames().stream().sorted().toList());
            assertEquals(1, api.requests().getLast().messages().stream()
                    .filter(m -> "user".equals(m.asJsonObject().getString("role"))).count(), "a clean context");
            assertEquals(1, cli.counter("llm_cli_spawns_total"));
            assertEquals(1, cli.counter("llm_cli_resets_total"));
        }
    }

    @Test
    void aJsonSchemaAnswerIsTheStructuredOutput() {
        api.replyWith(upstream -> upstream.toolNames().contains("StructuredOutput")
                ? Reply.toolUse("", Reply.ToolCall.of("StructuredOutput", Json.createObjectBuilder()
                        .add("answer", "42").add("sure", true).build()))
                : Reply.text("no schema"));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of("LLM_POOL_MAX_OVERFLOW", "2")).awaitUp()) {
            JsonObject schema = Json.createObjectBuilder().add("type", "object")
                    .add("properties", Json.createObjectBuilder()
                            .add("answer", Json.createObjectBuilder().add("type", "string"))
                            .add("sure", Json.createObjectBuilder().add("type", "boolean")))
                    .add("required", Json.createArrayBuilder().add("answer").add("sure"))
                    .add("additionalProperties", false).build();
            CliFixture.Answer structured = cli.chat(request(List.of(ChatMessage.of(Role.USER, "The answer?")),
                                                            jsonSchema(schema), false));

            assertEquals(Json.createObjectBuilder().add("answer", "42").add("sure", true).build(), json(structured.text()));
            assertEquals(FinishReason.STOP, structured.completion().finishReason());
            assertEquals(List.of("StructuredOutput"), api.requests().getLast().toolNames());
            assertEquals(schema, api.requests().getLast().body().getJsonArray("tools").getJsonObject(0)
                    .getJsonObject("input_schema"));

            JsonObject object = Json.createObjectBuilder().add("response_format", Json.createObjectBuilder()
                    .add("type", "json_object")).build();
            CliFixture.Answer anyObject = cli.chat(request(List.of(ChatMessage.of(Role.USER, "JSON please")), object, true));
            assertEquals("42", json(anyObject.text()).getString("answer"));
        }
    }

    @Test
    void aStreamedJsonSchemaAnswerArrivesAsTheModelWritesIt() {
        JsonObject document = Json.createObjectBuilder().add("answer", "forty-two, as everyone knows").add("sure", true)
                .build();
        api.replyWith(upstream -> upstream.toolNames().contains("StructuredOutput")
                ? Reply.toolUse("", Reply.ToolCall.of("StructuredOutput", document))
                : Reply.text("no schema"));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of("LLM_POOL_MAX_OVERFLOW", "1")).awaitUp()) {
            CliFixture.Answer streamed = cli.chat(request(List.of(ChatMessage.of(Role.USER, "The answer?")),
                                                          jsonSchema(ResponseSchema.ANY_OBJECT), true));

            long texts = streamed.deltas().stream().filter(delta -> delta instanceof ChatDelta.Text).count();
            assertTrue(texts > 1, "the document in several deltas: " + streamed.deltas());
            assertEquals(document, json(streamed.text()));
            assertEquals(FinishReason.STOP, streamed.completion().finishReason());
        }
    }

    @Test
    void aDocumentTheCliRefusedEndsAStreamWithAnErrorAndAWholeAnswerWithTheAcceptedOne() {
        JsonObject schema = Json.createObjectBuilder().add("type", "object")
                .add("properties", Json.createObjectBuilder().add("n", Json.createObjectBuilder().add("type", "integer")))
                .add("required", Json.createArrayBuilder().add("n")).build();
        AtomicInteger attempts = new AtomicInteger();
        api.replyWith(upstream -> {
            if (!upstream.toolNames().contains("StructuredOutput")) {
                return Reply.text("no schema");
            }
            if (!upstream.toolResults().isEmpty() && attempts.get() > 1) {
                return Reply.text("Done.");
            }
            // the first input does not match (a string for an integer); the CLI refuses it and the model tries again
            return attempts.incrementAndGet() == 1
                    ? Reply.toolUse("", Reply.ToolCall.of("StructuredOutput", Json.createObjectBuilder().add("n", "one").build()))
                    : Reply.toolUse("", Reply.ToolCall.of("StructuredOutput", Json.createObjectBuilder().add("n", 1).build()));
        });
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of("LLM_POOL_MAX_OVERFLOW", "1")).awaitUp()) {
            GatewayException failed = assertThrows(GatewayException.class, () -> cli.chat(request(
                    List.of(ChatMessage.of(Role.USER, "A number?")), jsonSchema(schema), true)));

            assertEquals(502, failed.status());
            assertTrue(failed.getMessage().contains("did not match"), failed.getMessage());
            assertEquals(2, attempts.get(), "the CLI asked the model again");

            // not streamed, nothing was sent: the answer is the document the CLI accepted
            attempts.set(0);
            CliFixture.Answer whole = cli.chat(request(List.of(ChatMessage.of(Role.USER, "A number, again?")),
                                                       jsonSchema(schema), false));
            assertEquals(Json.createObjectBuilder().add("n", 1).build(), json(whole.text()));
            assertEquals(2, attempts.get());
        }
    }

    @Test
    void anAnswerThatNeverMatchesTheSchemaIsAnError() {
        api.replyWith(upstream -> Reply.text("Just text."));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of("LLM_POOL_MAX_OVERFLOW", "1")).awaitUp()) {
            GatewayException failed = assertThrows(GatewayException.class, () -> cli.chat(request(
                    List.of(ChatMessage.of(Role.USER, "Hi")), jsonSchema(ResponseSchema.ANY_OBJECT), false)));

            assertEquals(502, failed.status());
            assertTrue(failed.getMessage().contains("schema"), failed.getMessage());
        }
    }

    @Test
    void aSchemaTheCliRefusesIsA400AndIsRememberedWithoutSpawningAgain() {
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of("LLM_POOL_MAX_OVERFLOW", "1")).awaitUp()) {
            JsonObject invalid = Json.createObjectBuilder().add("type", "object")
                    .add("properties", Json.createObjectBuilder()
                            .add("a", Json.createObjectBuilder().add("type", "no-such-type"))).build();

            GatewayException first = assertThrows(GatewayException.class, () -> cli.chat(request(
                    List.of(ChatMessage.of(Role.USER, "Hi")), jsonSchema(invalid), false)));
            assertEquals(400, first.status());
            assertEquals("response_format.json_schema.schema", first.param().orElseThrow());
            assertTrue(first.getMessage().contains("not a valid JSON Schema"), first.getMessage());
            long spawnFailures = cli.counter("llm_cli_spawn_failures_total");

            Instant before = Instant.now();
            GatewayException again = assertThrows(GatewayException.class, () -> cli.chat(request(
                    List.of(ChatMessage.of(Role.USER, "Hi")), jsonSchema(invalid), false)));
            assertEquals(400, again.status());
            assertTrue(Duration.between(before, Instant.now()).toMillis() < 500, "answered without a spawn");
            assertEquals(spawnFailures, cli.counter("llm_cli_spawn_failures_total"));
            assertTrue(cli.health().isUp(), "a client's bad schema does not take the backend down: " + cli.health());
        }
    }

    @Test
    void anImageReachesTheUpstreamAsABase64Block() {
        api.replyWith(upstream -> Reply.text("A red pixel."));
        try (CliFixture cli = CliFixture.startReal(dir, api, Map.of()).awaitUp()) {
            ChatMessage withImage = new ChatMessage(Role.USER, List.of(new ContentPart.Text("What is this?"),
                                                                       new ContentPart.Image(TestConversation.PIXEL,
                                                                                             Optional.empty())),
                                                    Optional.empty(), List.of(), Optional.empty());

            assertEquals("A red pixel.", cli.chat(request(List.of(withImage), JsonValue.EMPTY_JSON_OBJECT, false)).text());

            List<JsonObject> images = new ArrayList<>();
            for (JsonValue message : api.requests().getLast().messages()) {
                if (message.asJsonObject().get("content") instanceof jakarta.json.JsonArray blocks) {
                    blocks.stream().map(JsonValue::asJsonObject).filter(b -> "image".equals(b.getString("type")))
                            .forEach(images::add);
                }
            }
            assertEquals(1, images.size(), api.requests().getLast().messages().toString());
            JsonObject source = images.getFirst().getJsonObject("source");
            assertEquals("base64", source.getString("type"));
            assertEquals("image/png", source.getString("media_type"));
            assertEquals(TestConversation.PIXEL.substring(TestConversation.PIXEL.indexOf(',') + 1), source.getString("data"));
        }
    }

    static JsonObject jsonSchema(JsonObject schema) {
        return Json.createObjectBuilder().add("response_format", Json.createObjectBuilder()
                .add("type", "json_schema")
                .add("json_schema", Json.createObjectBuilder().add("name", "answer").add("strict", true)
                        .add("schema", schema))).build();
    }

    static JsonObject with(JsonObject body, String name, JsonValue value) {
        return Json.createObjectBuilder(body).add(name, value).build();
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    static JsonObject city(String name) {
        return Json.createObjectBuilder().add("city", name).build();
    }

    /** A body with {@code tools}: functions taking a city. */
    static JsonObject tools(String... names) {
        JsonArrayBuilder tools = Json.createArrayBuilder();
        for (String name : names) {
            tools.add(Json.createObjectBuilder()
                              .add("type", "function")
                              .add("function", Json.createObjectBuilder()
                                      .add("name", name)
                                      .add("description", "The " + name.replace('_', ' ') + " of a city")
                                      .add("parameters", Json.createObjectBuilder()
                                              .add("type", "object")
                                              .add("properties", Json.createObjectBuilder()
                                                      .add("city", Json.createObjectBuilder().add("type", "string")))
                                              .add("required", Json.createArrayBuilder().add("city")))));
        }
        return Json.createObjectBuilder().add("tools", tools).build();
    }

    static ChatRequest request(List<ChatMessage> messages, JsonObject body, boolean stream) {
        return new ChatRequest("claude-sonnet", messages, OptionalInt.empty(), OptionalDouble.empty(),
                               OptionalDouble.empty(), List.of(), stream, false, Optional.empty(), OptionalLong.empty(),
                               Map.of(), body);
    }

    /** The assistant message a client sends back for an answer that called tools. */
    static ChatMessage calling(ChatCompletion answer) {
        return new ChatMessage(Role.ASSISTANT, answer.text().isEmpty() ? List.of()
                : List.of(new ContentPart.Text(answer.text())), Optional.empty(), answer.toolCalls(), Optional.empty());
    }

    static ChatMessage result(String callId, String text) {
        return new ChatMessage(Role.TOOL, List.of(new ContentPart.Text(text)), Optional.empty(), List.of(),
                               Optional.of(callId));
    }
}
