package io.llmgateway.backend.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ValueTypes;
import io.llmgateway.testkit.SettingsTable;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings parsing, model names and error mapping.
 */
final class TestCliPieces {

    @Test
    void theReadmesSettingsTableIsTheDescriptors() {
        SettingsTable.assertReadmeMatches(CliSettings.DESCRIPTOR, Path.of("README.md"));
    }

    @Test
    void extraArgumentsKeepQuotedSpaces() {
        assertEquals(List.of("--flag", "two words", "it's", "x"),
                     ValueTypes.arguments().parse("  --flag 'two words' \"it's\" x "));
        assertEquals(List.of(), ValueTypes.arguments().parse(" "));
    }

    @Test
    void familyAliasesBecomeTheCliAliases() {
        assertEquals("sonnet", new SessionKey("claude-sonnet", "s").cliModel());
        assertEquals("opus", new SessionKey("claude-opus", "s").cliModel());
        assertEquals("haiku", new SessionKey("claude-haiku", "s").cliModel());
        assertEquals("claude-sonnet-4-5", new SessionKey("claude-sonnet-4-5", "s").cliModel());
    }

    @Test
    void onlyPlainClaudeIdsAreServed() {
        CliBackend backend = new CliBackend(null, null, null, System.getLogger("test"));

        assertTrue(backend.serves("claude-sonnet-4-5"));
        assertTrue(backend.serves("claude-3-5-haiku@20241022"));
        assertFalse(backend.serves("gpt-4o"));
        assertFalse(backend.serves("claude-x --dangerously-skip-permissions"));
        assertFalse(backend.serves("claude-" + "x".repeat(200)));
    }

    @Test
    void upstreamErrorsMapToOpenAiErrors() {
        GatewayException limited = CliErrors.fromResult(result(429));
        assertEquals(429, limited.status());
        assertTrue(limited.retryAfter().isEmpty(), "the CLI reports no retry-after and none is invented");
        GatewayException refused = CliErrors.fromResult(result(401));
        assertEquals(502, refused.status(), "the gateway's own login, not the client's key");
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, refused.failureKind());
        assertEquals(503, CliErrors.fromResult(result(529)).status());
        assertEquals(400, CliErrors.fromResult(result(400)).status());
        assertEquals(404, CliErrors.fromResult(result(404)).status(), "as the api backend maps it");
        assertTrue(CliErrors.fromResult(result(529)).retryAfter().isEmpty());
        assertEquals(502, CliErrors.fromResult(result(500)).status());
        GatewayException unknown = CliErrors.fromResult(Json.createObjectBuilder().add("is_error", true)
                                                                .add("result", "boom").build());
        assertEquals(502, unknown.status());
        assertTrue(unknown.getMessage().contains("boom"));
    }

    @Test
    void startFailuresAreDescribedInWords() {
        List<Exception> failures = List.of(
                new UncheckedIOException(new AccessDeniedException("/work/cli-1/config")),
                new FileSystemException("/work/cli-1/config", null, "Not a directory"),
                new IOException(),
                new NullPointerException("Cannot invoke \"java.nio.file.Path.resolve(String)\" because \"root\" is null"),
                new IllegalStateException());

        List<String> reasons = failures.stream().map(CliErrors::whyNotStarted).toList();

        assertEquals(List.of("cannot prepare its files: /work/cli-1/config: permission denied",
                             "cannot prepare its files: /work/cli-1/config: not a directory",
                             "an input or output error without detail",
                             "an unexpected error in the gateway (its log has the details)",
                             "an unexpected error in the gateway (its log has the details)"), reasons);
        assertEquals("the claude process exited (status 1)",
                     CliErrors.whyNotStarted(new IOException("the claude process exited (status 1)")));
    }

    @Test
    void aTurnEndedWithoutAnAnswerIsDescribedInWords() {
        JsonObject result = Json.createObjectBuilder().add("type", "result").add("subtype", "error_during_execution").build();

        assertEquals("The claude CLI ended the turn without an answer: it failed while running the turn",
                     CliErrors.unfinished(result).getMessage());
    }

    private static JsonObject result(int status) {
        return Json.createObjectBuilder()
                .add("type", "result").add("subtype", "success").add("is_error", true)
                .add("api_error_status", status).add("result", "API Error: " + status)
                .build();
    }
}
