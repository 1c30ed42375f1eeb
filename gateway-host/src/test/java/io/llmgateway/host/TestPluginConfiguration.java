package io.llmgateway.host;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

import io.llmgateway.api.GatewayException;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.ValueTypes;
import io.llmgateway.backend.cli.CliBackendProvider;
import io.llmgateway.backend.mock.MockBackendProvider;
import io.llmgateway.middleware.auth.AuthMiddlewareProvider;
import io.llmgateway.middleware.ratelimit.RateLimitProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the host does with the plugins' descriptors at start-up: one line for a bad setting, a did-you-mean for
 * a variable nobody reads, each plugin scoped to its own settings, secrets masked in error bodies and log lines,
 * and the keys file read once for every plugin.
 */
final class TestPluginConfiguration {

    private static final String TOKEN = "tok-live-9fQ2xR7mZ4wK1pL8";
    private static final SettingSpec<String> TOKEN_SETTING = SettingSpec.of("token", ValueTypes.secret(), "a token")
            .env("LLM_SCRIPTED_TOKEN");
    private static final SettingSpec<Integer> LIMIT = SettingSpec.of("limit", ValueTypes.integer(1, 9), "a limit")
            .env("LLM_SCRIPTED_LIMIT").defaultValue(3);
    private static final PluginDescriptor SCRIPTED = PluginDescriptor.backend(
            "scripted", SpiVersion.MAJOR, SpiVersion.MINOR, "a test backend", List.of(TOKEN_SETTING, LIMIT));
    private static final String ASK = "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;

    @Test
    void aBadSettingOfAnyLoadedPluginStopsStartInOneLine() {
        GatewayStartupException e = assertThrows(GatewayStartupException.class, () -> TestGateways.start(
                TestGateways.config("LLM_BACKEND", "mock", "LLM_POOL_SIZE", "lots"), new TestGateways.LogCapture(),
                List.of(new MockBackendProvider(), new CliBackendProvider()), List.of()));

        assertThat(e.getMessage(), is("backend cli: LLM_POOL_SIZE must be an integer from 0 to 64, got 'lots'"));
    }

    @Test
    void aBadSecretIsNamedButNotShown() {
        GatewayStartupException e = assertThrows(GatewayStartupException.class, () -> TestGateways.start(
                TestGateways.config("LLM_BACKEND", "mock", "LLM_API_KEYS", "sk-live-no-tenant-here"),
                new TestGateways.LogCapture(), List.of(new MockBackendProvider()), List.of(new AuthMiddlewareProvider())));

        assertThat(e.getMessage(), is("middleware auth: LLM_API_KEYS entry 1 must look like key:tenant"));
    }

    @Test
    void aVariableNobodyReadsIsRefusedWithTheNearestOne() {
        GatewayStartupException e = assertThrows(GatewayStartupException.class, () -> TestGateways.start(
                TestGateways.config("LLM_BACKEND", "mock", "LLM_POOL_SIZ", "2", "LLM_MOCK_LATENCY", "5"),
                new TestGateways.LogCapture(), List.of(new MockBackendProvider(), new CliBackendProvider()), List.of()));

        assertThat(e.getMessage(), containsString("LLM_MOCK_LATENCY is set, but neither the host nor a loaded plugin reads"
                                                          + " it (did you mean LLM_MOCK_LATENCY_MS?)"));
        assertThat(e.getMessage(), containsString("also unread: LLM_POOL_SIZ"));
        assertThat(e.getMessage().contains("\n"), is(false));
    }

    @Test
    void variablesOutsideTheGatewaysOwnAreNotRefused() {
        try (Gateway gateway = TestGateways.start(TestGateways.config("LLM_BACKEND", "mock", "SOME_TOOL_HOME", "/opt/x"),
                                                  new TestGateways.LogCapture(), List.of(new MockBackendProvider()),
                                                  List.of())) {
            assertThat(gateway.router().state().deployments().getFirst().type(), is("mock"));
        }
    }

    @Test
    void aPluginSeesOnlyItsOwnSettings() {
        ScriptedBackend backend = new ScriptedBackend("scripted", "scripted-model");
        try (Gateway gateway = TestGateways.start(
                TestGateways.config("LLM_BACKEND", "scripted", "LLM_SCRIPTED_LIMIT", "7", "LLM_POOL_SIZE", "4",
                                    "HOME", "/home/x"),
                new TestGateways.LogCapture(), List.of(backend.provider(SCRIPTED), new CliBackendProvider()), List.of())) {
            assertThat(gateway.router().state().deployments().getFirst().type(), is("scripted"));
            assertThat(backend.context().settings().get(LIMIT), is(7));
            assertThat(backend.context().config().value("LLM_SCRIPTED_LIMIT"), is(Optional.of("7")));
            assertThat(backend.context().config().value("LLM_POOL_SIZE"), is(Optional.empty()));
            assertThat(backend.context().config().value("HOME"), is(Optional.empty()));
            assertThat(backend.context().config().value("LLM_PORT"), is(Optional.empty()));
        }
    }

    @Test
    void aSecretSettingIsMaskedInErrorBodiesLogLinesAndTheRequestLog() {
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        Handler handler = new StreamHandler(diagnostics, new SimpleFormatter());
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        ScriptedBackend backend = new ScriptedBackend("scripted", "scripted-model");
        backend.script((exchange, sink) -> {
            backend.context().logger().log(System.Logger.Level.WARNING, "the upstream refused token " + TOKEN);
            exchange.annotate("echoed", TOKEN.substring(0, 14) + "xyz");
            throw GatewayException.badGateway("The upstream said: invalid token " + TOKEN);
        });
        try (RunningGateway gateway = RunningGateway.start(Map.of("LLM_BACKEND", "scripted", "LLM_SCRIPTED_TOKEN", TOKEN),
                                                           List.of(backend.provider(SCRIPTED)), List.of())) {
            HttpResponse<String> response = gateway.chat(ASK, "x-request-id", "masked");

            assertThat(response.statusCode(), is(502));
            assertThat(response.body(), containsString("[redacted]"));
            assertThat(response.body(), not(containsString(TOKEN.substring(0, 12))));
            String logLine = gateway.log().lineOf(gateway.gateway(), "masked").toString();
            assertThat(logLine, containsString("[redacted]"));
            assertThat(logLine, not(containsString(TOKEN.substring(0, 12))));
            handler.flush();
            String logged = diagnostics.toString(StandardCharsets.UTF_8);
            assertThat(logged, containsString("the upstream refused token [redacted]"));
            assertThat(logged, not(containsString(TOKEN.substring(0, 12))));
        } finally {
            root.removeHandler(handler);
        }
    }

    @Test
    void theKeysFileIsReadOnceForAuthAndRateLimitsAndItsKeysAreSecrets() throws Exception {
        Path keys = dir.resolve("keys");
        Files.writeString(keys, "# the team\nsk-file-alpha-123456:alpha rpm=1\nsk-file-beta-1234567:beta\n");
        ScriptedBackend backend = new ScriptedBackend("scripted", "scripted-model");
        backend.script((exchange, sink) -> {
            throw GatewayException.badGateway("upstream echoed sk-file-beta-1234567");
        });
        try (RunningGateway gateway = RunningGateway.start(
                Map.of("LLM_BACKEND", "scripted", "LLM_API_KEYS_FILE", keys.toString(), "LLM_RATE_LIMIT_RPM", "100"),
                List.of(backend.provider(SCRIPTED)), List.of(new AuthMiddlewareProvider(), new RateLimitProvider()))) {
            assertThat(gateway.chat(ASK).statusCode(), is(401));
            assertThat(gateway.chat(ASK, "x-api-key", "sk-file-alpha-123456").statusCode(), is(502));
            assertThat("alpha's rpm=1 from the same file", gateway.chat(ASK, "x-api-key", "sk-file-alpha-123456").statusCode(),
                       is(429));
            HttpResponse<String> beta = gateway.chat(ASK, "x-api-key", "sk-file-beta-1234567");
            assertThat(beta.statusCode(), is(502));
            assertThat(beta.body(), not(containsString("sk-file-beta")));
        }
    }

    @Test
    void anUnreadableKeysFileStopsStart() {
        GatewayStartupException e = assertThrows(GatewayStartupException.class, () -> TestGateways.start(
                TestGateways.config("LLM_BACKEND", "mock", "LLM_API_KEYS_FILE", dir.resolve("missing").toString()),
                new TestGateways.LogCapture(), List.of(new MockBackendProvider()), List.of(new AuthMiddlewareProvider())));

        assertThat(e.getMessage(), containsString("LLM_API_KEYS_FILE " + dir.resolve("missing") + " cannot be read"));
    }
}
