package io.llmgateway.backend.cli;

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

import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.api.SessionInfo;
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
            assertEquals(city("Paris"), Json.createReader(new java.io.StringReader(call.arguments())).readObject());
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
