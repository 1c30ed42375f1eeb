package io.llmgateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code claude} binary against {@link FakeAnthropicApi}: proof that the fake speaks the
 * Messages API well enough for the real client. Needs the binary: its path in the system property or
 * environment variable {@code LLM_TEST_CLAUDE} (e.g. {@code node_modules/.bin/claude} after
 * {@code npm install @anthropic-ai/claude-code@2.1.328}); skipped without it.
 */
final class TestRealClaudeAgainstFakeApi {
    private static final String LOCATION = "LLM_TEST_CLAUDE";
    private static final String REPLY = "Hi from the fake API.";

    private static final String PROPERTY = System.getProperty(LOCATION);
    private static final String VARIABLE = System.getenv(LOCATION);
    private static final String LOOKED = "looked for the claude binary at system property " + LOCATION + "=" + PROPERTY
            + " and environment variable " + LOCATION + "=" + VARIABLE;
    private static final Path CLAUDE = claudeBinary();

    @TempDir
    Path dir;
    private final FakeAnthropicApi api = FakeAnthropicApi.start().defaultReply(Reply.text("Hi", " from", " the fake", " API."));

    @BeforeEach
    void needsClaude() {
        assumeTrue(CLAUDE != null, LOOKED + ": no executable there, so the real-CLI tests are skipped");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void printModeAnswersWithTheFakesText() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(CLAUDE.toString(), "-p", "Say hi", "--output-format", "json",
                "--model", "sonnet", "--tools", "", "--no-session-persistence", "--setting-sources", "")
                .directory(Files.createDirectories(dir.resolve("work")).toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        environment(builder.environment());
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "claude did not finish");

        JsonObject result = Jsons.parseObject(stdout.strip());
        assertEquals(0, process.exitValue(), stdout + Files.readString(dir.resolve("stderr.txt")));
        assertEquals("result", result.getString("type"), stdout);
        assertFalse(result.getBoolean("is_error"), stdout);
        assertEquals(REPLY, result.getString("result"));

        RecordedRequest call = messagesCalls().getFirst();
        assertEquals("/v1/messages?beta=true", call.path());
        assertTrue(call.stream());
        assertEquals("sk-test", call.header("x-api-key"));
        assertTrue(call.header("anthropic-version") != null);
        assertTrue(call.body().getInt("max_tokens") >= 32000, call.toString());
        assertTrue(call.lastUserText().contains("Say hi"), call.lastUserText());
        assertFalse(call.systemText().isEmpty());
    }

    @Test
    void anInterruptInStreamJsonModeAbortsTheUpstreamRequest() throws Exception {
        api.enqueue(Reply.text(Collections.nCopies(100, "slow ")).withGap(Duration.ofMillis(100)));
        List<String> command = new ArrayList<>(List.of(CLAUDE.toString()));
        command.addAll(CliProcess.STREAM_JSON_FLAGS);
        command.addAll(List.of("--model", "sonnet", "--system-prompt", "You are terse."));
        Map<String, String> environment = new HashMap<>();
        environment(environment);

        try (CliProcess cli = CliProcess.start(command, Files.createDirectories(dir.resolve("work")), environment)) {
            assertEquals("success", cli.controlResponse(cli.sendControl("initialize")).getString("subtype"));
            cli.sendUser("Count slowly");
            cli.linesUntil(json -> json.get("event") instanceof JsonObject event
                    && "content_block_delta".equals(Jsons.string(event, "type")));
            cli.sendControl("interrupt");
            JsonObject interrupted = cli.turn().getLast();
            assertEquals("error_during_execution", interrupted.getString("subtype"), interrupted.toString());

            RecordedRequest aborted = messagesCalls().getFirst();
            assertTrue(aborted.awaitFinished(Duration.ofSeconds(10)));
            assertTrue(aborted.clientDisconnected(), "the CLI closed the upstream connection");

            cli.sendUser("Say hi");
            JsonObject next = cli.turn().getLast();
            assertEquals(REPLY, next.getString("result"), next.toString());
        }
    }

    private List<RecordedRequest> messagesCalls() {
        return api.requests().stream().filter(r -> r.path().startsWith("/v1/messages?") || r.path().equals("/v1/messages"))
                .toList();
    }

    private void environment(Map<String, String> environment) throws IOException {
        environment.keySet().removeIf(name -> name.startsWith("ANTHROPIC_") || name.startsWith("CLAUDE_"));
        environment.put("ANTHROPIC_BASE_URL", api.baseUrl());
        environment.put("ANTHROPIC_API_KEY", "sk-test");
        environment.put("CLAUDE_CONFIG_DIR", Files.createDirectories(dir.resolve("config")).toString());
        environment.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        environment.put("DISABLE_AUTOUPDATER", "1");
        environment.put("CLAUDE_CODE_MAX_RETRIES", "0");
    }

    /** {@return the binary named by {@code LLM_TEST_CLAUDE}, or null; says on stdout where it looked} */
    private static Path claudeBinary() {
        String configured = PROPERTY != null && !PROPERTY.isBlank() ? PROPERTY : VARIABLE;
        Path binary = configured == null || configured.isBlank() || !Files.isExecutable(Path.of(configured)) ? null
                : Path.of(configured);
        System.out.println(TestRealClaudeAgainstFakeApi.class.getSimpleName() + ": " + LOOKED
                + (binary != null ? ": using " + binary : ": not found"));
        return binary;
    }
}
