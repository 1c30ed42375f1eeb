package io.llmgateway.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake CLI as a real process started through its launcher, talked to over stdin and stdout as a
 * process pool would.
 */
final class TestFakeClaudeCli {
    private static final Duration SHORT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void controlRequestsAreAnsweredBeforeAnyTurn() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of())) {
            JsonObject initialize = cli.controlResponse(cli.sendControl("initialize"));
            assertEquals("success", initialize.getString("subtype"));
            assertEquals(cli.process().pid(), initialize.getJsonObject("response").getJsonNumber("pid").longValue());
            assertEquals(List.of(), initialize.getJsonObject("response").getJsonArray("commands"));

            JsonObject ping = cli.controlResponse(cli.sendControl("mcp_status"));
            assertEquals("success", ping.getString("subtype"));
            assertEquals(List.of(), ping.getJsonObject("response").getJsonArray("mcpServers"));

            JsonObject idleInterrupt = cli.controlResponse(cli.sendControl("interrupt"));
            assertEquals("success", idleInterrupt.getString("subtype"));

            JsonObject unknown = cli.controlResponse(cli.sendControl("rewind_files"));
            assertEquals("error", unknown.getString("subtype"));
            assertTrue(unknown.getString("error").contains("rewind_files"), unknown.toString());

            cli.closeStdin();
            assertEquals(0, cli.exitStatus());
        }
    }

    @Test
    void aTurnStreamsOneDeltaPerWordAndEndsWithTheResult() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(), "--model", "claude-test", "--system-prompt", "Be brief.")) {
            cli.sendUser("Say hi");
            List<JsonObject> turn = cli.turn();

            assertEquals(List.of("system/init", "system/status", "message_start", "content_block_start",
                    "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                    "assistant", "content_block_stop", "message_delta", "message_stop", "result"), kinds(turn));
            JsonObject init = turn.getFirst();
            assertEquals("claude-test", init.getString("model"));
            assertEquals("Be brief.", init.getString("fake_system_prompt"));
            assertEquals(List.of(), init.getJsonArray("tools"));
            assertEquals("echo: Say hi [turn=1]", deltaText(turn));
            assertEquals("echo: Say hi [turn=1]", turn.get(8).getJsonObject("message").getJsonArray("content")
                    .getJsonObject(0).getString("text"));
            assertEquals("end_turn", event(turn.get(10)).getJsonObject("delta").getString("stop_reason"));
            assertEquals(4, event(turn.get(10)).getJsonObject("usage").getInt("output_tokens"));

            JsonObject result = turn.getLast();
            assertEquals("success", result.getString("subtype"));
            assertFalse(result.getBoolean("is_error"));
            assertEquals("echo: Say hi [turn=1]", result.getString("result"));
            assertEquals("end_turn", result.getString("stop_reason"));
            assertEquals(1, result.getInt("num_turns"));
            assertEquals(4, result.getJsonObject("usage").getInt("output_tokens"));
            assertEquals(0, result.getJsonObject("usage").getInt("cache_read_input_tokens"));
            assertEquals(init.getString("session_id"), result.getString("session_id"));
        }
    }

    @Test
    void contentBlocksCountAsTheUserText() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of())) {
            cli.send("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"blocks\"}]}}");
            assertEquals("echo: blocks [turn=1]", cli.turn().getLast().getString("result"));
        }
    }

    @Test
    void theConversationIsKeptUntilClear() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of())) {
            cli.sendUser("one");
            JsonObject first = cli.turn().getLast();
            cli.sendUser("two");
            JsonObject second = cli.turn().getLast();
            assertEquals("echo: two [turn=2]", second.getString("result"));
            assertEquals(3, second.getInt("num_turns"), "user, assistant, user");
            assertEquals(first.getString("session_id"), second.getString("session_id"));

            cli.sendUser("/clear");
            List<String> clear = cli.linesUntil(json -> "result".equals(Jsons.string(json, "type")));
            List<JsonObject> json = clear.stream().map(Jsons::parseObject).filter(line -> line != null).toList();
            assertEquals(List.of("conversation_reset", "system/background_tasks_changed", "system/init", "result"), kinds(json));
            assertEquals(1, clear.stream().filter(line -> Jsons.parseObject(line) == null && line.contains("\u001b[")).count(),
                    "one line of ANSI escapes: " + clear);
            JsonObject reset = json.getLast();
            assertEquals(0, reset.getInt("num_turns"));
            assertFalse(reset.getBoolean("is_error"));
            String newSession = json.get(2).getString("session_id");
            assertNotEquals(first.getString("session_id"), newSession);
            assertEquals(newSession, reset.getString("session_id"));

            cli.sendUser("three");
            JsonObject third = cli.turn().getLast();
            assertEquals("echo: three [turn=1]", third.getString("result"));
            assertEquals(1, third.getInt("num_turns"));
            assertEquals(newSession, third.getString("session_id"));
        }
    }

    @Test
    void turnsSentWhileOneStreamsWaitTheirTurn() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.DELTA_DELAY_MS, "20"))) {
            cli.sendUser("first");
            cli.sendUser("second");
            assertEquals("echo: first [turn=1]", cli.turn().getLast().getString("result"));
            assertEquals("echo: second [turn=2]", cli.turn().getLast().getString("result"));
        }
    }

    @Test
    void anInterruptEndsTheStreamingTurnEarly() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of())) {
            cli.sendUser("[[slow]] [[long]]");
            cli.linesUntil(json -> json.get("event") instanceof JsonObject event
                    && "content_block_delta".equals(Jsons.string(event, "type")));
            long sent = System.nanoTime();
            String id = cli.sendControl("interrupt");
            List<JsonObject> rest = cli.turn();

            assertTrue(System.nanoTime() - sent < Duration.ofSeconds(2).toNanos(), "stopped at once, not after 200 deltas");
            assertTrue(rest.stream().anyMatch(line -> line.get("response") instanceof JsonObject response
                    && id.equals(response.getString("request_id")) && "success".equals(response.getString("subtype"))), rest.toString());
            JsonObject partial = rest.stream().filter(line -> "assistant".equals(line.getString("type"))).findFirst().orElseThrow();
            assertTrue(partial.getBoolean("aborted"));
            assertTrue(rest.stream().anyMatch(line -> "user".equals(line.getString("type"))), "the interruption is echoed");
            JsonObject result = rest.getLast();
            assertEquals("error_during_execution", result.getString("subtype"));
            assertTrue(result.getBoolean("is_error"), "as the real CLI reports it");
            assertTrue(result.isNull("stop_reason"));
            assertEquals("aborted_streaming", result.getString("terminal_reason"));

            cli.sendUser("next");
            JsonObject next = cli.turn().getLast();
            assertEquals("echo: next [turn=2]", next.getString("result"));
            assertEquals(3, next.getInt("num_turns"), "the interrupted turn and its partial answer are kept");
        }
    }

    @Test
    void longMakesTwoHundredWords() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.REPLY, "ignored"))) {
            cli.sendUser("please [[long]]");
            List<JsonObject> turn = cli.turn();
            String text = turn.getLast().getString("result");
            assertEquals(200, text.split(" ").length);
            assertEquals(text, deltaText(turn));
            assertTrue(text.startsWith("word1 word2 ") && text.endsWith(" word200"), text);
        }
    }

    @Test
    void aFixedReplyWithADelayBetweenDeltas() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.REPLY, "one two three", Behaviour.DELTA_DELAY_MS, "100"))) {
            cli.sendUser("anything");
            long start = System.nanoTime();
            List<JsonObject> turn = cli.turn();
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(280).toNanos(), "three deltas, 100 ms before each");
            assertEquals("one two three", turn.getLast().getString("result"));
            assertEquals(List.of("one", " two", " three"), turn.stream().filter(line -> "stream_event".equals(line.getString("type")))
                    .map(TestFakeClaudeCli::event).filter(event -> "content_block_delta".equals(event.getString("type")))
                    .map(event -> event.getJsonObject("delta").getString("text")).toList());
        }
    }

    @Test
    void aSlowColdStartDelaysTheFirstAnswer() throws Exception {
        long start = System.nanoTime();
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.START_DELAY_MS, "700"))) {
            cli.controlResponse(cli.sendControl("initialize"));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(700).toNanos());
        }
    }

    @Test
    void aCrashExitsWithStatusOneHalfwayThroughTheTurn() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.CRASH_ON_TURN, "2"))) {
            cli.sendUser("fine");
            assertEquals("success", cli.turn().getLast().getString("subtype"));
            cli.sendUser("this one crashes");
            List<String> lines = cli.linesUntil(json -> json.get("event") instanceof JsonObject event
                    && "content_block_delta".equals(Jsons.string(event, "type")));
            assertTrue(lines.size() > 3);
            assertEquals(1, cli.exitStatus());
            assertTrue(cli.stderr().contains("crashing in turn 2"), cli.stderr());
        }
    }

    @Test
    void aHungProcessAnswersNothingAndOutlivesItsStdin() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.HANG_ON_TURN, "1"))) {
            cli.sendUser("hang here");
            assertEquals(List.of("system/init", "system/status"),
                    kinds(List.of(Jsons.parseObject(cli.nextLine(SHORT)), Jsons.parseObject(cli.nextLine(SHORT)))));
            cli.sendControl("interrupt");
            cli.sendControl("initialize");
            assertTrue(cli.silentFor(Duration.ofMillis(500)));
            cli.closeStdin();
            assertFalse(cli.process().waitFor(500, TimeUnit.MILLISECONDS), "still alive");
        }
    }

    @Test
    void aProcessThatStopsReadingStillAnswersItsTurnButNoControlRequest() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.STOP_READING_ON_TURN, "1"))) {
            cli.sendUser("the last line it reads");
            assertEquals("echo: the last line it reads [turn=1]", cli.turn().getLast().getString("result"));
            cli.sendControl("initialize");
            assertTrue(cli.silentFor(Duration.ofMillis(500)));
            assertTrue(cli.process().isAlive());
        }
    }

    @Test
    void aPingThatIsNeverAnswered() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.HANG_ON_PING, "true"))) {
            cli.sendControl("mcp_status");
            assertTrue(cli.silentFor(Duration.ofMillis(500)));
            assertEquals("success", cli.controlResponse(cli.sendControl("initialize")).getString("subtype"));
            cli.sendUser("still works");
            assertEquals("echo: still works [turn=1]", cli.turn().getLast().getString("result"));
        }
    }

    @Test
    void garbageIsInterleavedButTheTurnIsIntact() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.GARBAGE, "1"))) {
            cli.sendUser("noisy");
            List<String> lines = cli.linesUntil(json -> "result".equals(Jsons.string(json, "type")));
            assertTrue(lines.stream().anyMatch(line -> Jsons.parseObject(line) == null), "non-JSON lines");
            assertTrue(lines.stream().anyMatch(line -> line.contains("\"type\":\"rate_limit_event\"")));
            assertEquals("echo: noisy [turn=1]", Jsons.parseObject(lines.getLast()).getString("result"));
        }
    }

    @Test
    void anUpstreamErrorEndsTheTurnLikeTheRealCli() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.ERROR_ON_TURN, "1:529"))) {
            cli.sendUser("fails");
            List<JsonObject> turn = cli.turn();
            JsonObject result = turn.getLast();
            assertEquals("success", result.getString("subtype"));
            assertTrue(result.getBoolean("is_error"));
            assertEquals(529, result.getInt("api_error_status"));
            assertTrue(result.getString("result").startsWith("API Error: 529"), result.toString());
            assertEquals(List.of("system/init", "system/status", "assistant", "result"), kinds(turn));

            cli.sendUser("works again");
            assertFalse(cli.turn().getLast().getBoolean("is_error"));
        }
    }

    @Test
    void theUsageLimitRefusesTurnsInTheRealClisLinesUntilItResets() throws Exception {
        long resetsAt = Instant.now().getEpochSecond() + 3;
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.USAGE_LIMIT, "2:" + resetsAt))) {
            cli.sendUser("served");
            assertFalse(cli.turn().getLast().getBoolean("is_error"));

            cli.sendUser("refused");
            List<JsonObject> refused = cli.turn();
            assertEquals(List.of("system/init", "system/status", "rate_limit_event", "assistant", "result"), kinds(refused));
            JsonObject info = refused.get(2).getJsonObject("rate_limit_info");
            assertEquals("rejected", info.getString("status"));
            assertEquals(resetsAt, info.getJsonNumber("resetsAt").longValue());
            assertEquals("five_hour", info.getString("rateLimitType"));
            JsonObject notice = refused.get(3);
            assertEquals("rate_limit", notice.getString("error"));
            assertEquals("usage_limit_reached", notice.getString("api_error"));
            assertEquals(resetsAt, notice.getJsonObject("api_error_params").getJsonObject("rate_limit_info")
                    .getJsonNumber("resetsAt").longValue());
            String text = notice.getJsonObject("message").getJsonArray("content").getJsonObject(0).getString("text");
            assertTrue(text.matches("You've hit your 5-hour limit \u00b7 resets \\d{1,2}:\\d\\d[ap]m \\(UTC\\)"), text);
            JsonObject result = refused.getLast();
            assertTrue(result.getBoolean("is_error"));
            assertEquals(429, result.getInt("api_error_status"));
            assertEquals("usage_limit_reached", result.getString("api_error"));
            assertEquals(text, result.getString("result"));

            cli.sendUser("refused again");
            assertEquals(List.of("system/init", "system/status", "assistant", "result"), kinds(cli.turn()),
                         "the allowance did not change: no second rate_limit_event");

            Thread.sleep(Math.max(0, resetsAt * 1000 - System.currentTimeMillis() + 50));
            cli.sendUser("after the reset");
            List<JsonObject> served = cli.turn();
            assertFalse(served.getLast().getBoolean("is_error"));
            assertEquals("allowed", served.get(served.size() - 2).getJsonObject("rate_limit_info").getString("status"));
        }
    }

    @Test
    void theWeeklyLimitAndOlderClisWords() throws Exception {
        long resetsAt = Instant.now().getEpochSecond() + 3 * 86_400;
        try (CliProcess cli = CliProcess.fake(dir.resolve("weekly"), Map.of(Behaviour.USAGE_LIMIT, "1:" + resetsAt + ":weekly"))) {
            cli.sendUser("refused");
            List<JsonObject> refused = cli.turn();
            assertEquals("seven_day", refused.get(2).getJsonObject("rate_limit_info").getString("rateLimitType"));
            assertTrue(refused.getLast().getString("result").startsWith("You've hit your weekly limit \u00b7 resets "),
                       refused.getLast().toString());
        }
        try (CliProcess cli = CliProcess.fake(dir.resolve("older"), Map.of(Behaviour.USAGE_LIMIT, "1:" + resetsAt + ":result"))) {
            cli.sendUser("refused");
            List<JsonObject> refused = cli.turn();
            assertEquals(List.of("system/init", "system/status", "result"), kinds(refused));
            assertTrue(refused.getLast().getBoolean("is_error"));
            assertEquals("Claude AI usage limit reached|" + resetsAt, refused.getLast().getString("result"));
        }
    }

    @Test
    void aWarningComesWithAServedTurnAfterTheStreamEnds() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.USAGE_WARNING_ON_TURN, "1"))) {
            cli.sendUser("nearly out");
            List<JsonObject> turn = cli.turn();
            assertEquals(List.of("message_stop", "rate_limit_event", "result"), kinds(turn.subList(turn.size() - 3, turn.size())));
            JsonObject info = turn.get(turn.size() - 2).getJsonObject("rate_limit_info");
            assertEquals("allowed_warning", info.getString("status"));
            assertEquals(0.92, info.getJsonNumber("utilization").doubleValue());
            assertEquals("echo: nearly out [turn=1]", turn.getLast().getString("result"));
        }
    }

    @Test
    void failingAtStartExitsAtOnceWithAMessage() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.FAIL_START, "no credentials"))) {
            assertEquals(1, cli.exitStatus());
            assertTrue(cli.stderr().contains("no credentials"), cli.stderr());
        }
    }

    @Test
    void theTranscriptHoldsEveryLineReceived() throws Exception {
        Path transcript;
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.TRANSCRIPT, dir.resolve("sent-{pid}.jsonl").toString()))) {
            transcript = dir.resolve("sent-" + cli.process().pid() + ".jsonl");
            cli.sendControl("initialize");
            cli.sendUser("hello");
            cli.turn();
            cli.sendControl("mcp_status");
            cli.closeStdin();
            assertEquals(0, cli.exitStatus());
        }
        List<String> lines = Files.readAllLines(transcript);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("initialize") && lines.get(1).contains("hello") && lines.get(2).contains("mcp_status"));
    }

    @Test
    void stdinClosingEndsTheProcessAfterItsTurn() throws Exception {
        try (CliProcess cli = CliProcess.fake(dir, Map.of(Behaviour.DELTA_DELAY_MS, "50"))) {
            cli.sendUser("finish me");
            cli.closeStdin();
            assertEquals("echo: finish me [turn=1]", cli.turn().getLast().getString("result"));
            assertEquals(0, cli.exitStatus());
        }
    }

    @Test
    void theLauncherIsAShellScriptThatExecsJava() throws Exception {
        Path launcher = FakeClaudeCli.launcher(dir.resolve("bin"), Map.of(Behaviour.REPLY, "it's \"quoted\" $HOME"));
        assertEquals(FakeClaudeCli.LAUNCHER_NAME, launcher.getFileName().toString());
        assertTrue(Files.isExecutable(launcher));
        String script = Files.readString(launcher);
        assertTrue(script.startsWith("#!/bin/sh\n"), script);
        assertTrue(script.contains("exec '" + ProcessHandle.current().info().command().orElseThrow() + "' -Xshare:auto"), script);
        assertTrue(script.contains(FakeClaudeCli.class.getName() + " \"$@\""), script);

        try (CliProcess cli = CliProcess.start(List.of(launcher.toString(), "-p"), dir, Map.of())) {
            cli.sendUser("x");
            assertEquals("it's \"quoted\" $HOME", cli.turn().getLast().getString("result"), "quoted for the shell");
        }
    }

    @Test
    void theLauncherRejectsWhatTheFakeWouldNotUnderstand() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> FakeClaudeCli.launcher(dir, Map.of("FAKE_CLI_CRASH_ON_TRUN", "1")));
        assertTrue(unknown.getMessage().contains("FAKE_CLI_CRASH_ON_TURN"), unknown.getMessage());
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> FakeClaudeCli.launcher(dir, Map.of(Behaviour.ERROR_ON_TURN, "529")));
        assertTrue(badValue.getMessage().contains("TURN:STATUS"), badValue.getMessage());
        IllegalArgumentException badForm = assertThrows(IllegalArgumentException.class,
                () -> FakeClaudeCli.launcher(dir, Map.of(Behaviour.USAGE_LIMIT, "1:1796319436:monthly")));
        assertTrue(badForm.getMessage().contains("TURN:RESETS_AT[:FORM]"), badForm.getMessage());
    }

    /** {@return each line's kind: its type, with the subtype for system lines and the event type for stream events} */
    private static List<String> kinds(List<JsonObject> lines) {
        return lines.stream().map(line -> switch (line.getString("type")) {
            case "system" -> "system/" + line.getString("subtype");
            case "stream_event" -> event(line).getString("type");
            default -> line.getString("type");
        }).toList();
    }

    private static JsonObject event(JsonObject streamEvent) {
        return streamEvent.getJsonObject("event");
    }

    private static String deltaText(List<JsonObject> lines) {
        return lines.stream().filter(line -> "stream_event".equals(line.getString("type")))
                .map(TestFakeClaudeCli::event)
                .filter(event -> "content_block_delta".equals(event.getString("type")))
                .map(event -> event.getJsonObject("delta").getString("text"))
                .collect(Collectors.joining());
    }
}
