package io.llmgateway.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.backend.mock.MockBackendProvider;
import io.llmgateway.host.config.Environment;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Configuration and start-up: defaults, backend selection, and the messages that stop a misconfigured
 * gateway.
 */
final class TestGatewayStartup {

    @Test
    void defaults() {
        GatewayConfig config = GatewayConfig.from(new Environment(Map.of()));

        assertThat(config.port(), is(5005));
        assertThat(config.host(), is("0.0.0.0"));
        assertThat(config.defaultBackend(), is("cli"));
        assertThat(config.enabledBackends(), is(List.of("cli")));
        assertThat(config.maxRequestBytes(), is(10L * 1024 * 1024));
        assertThat(config.requestTimeout(), is(Duration.ofSeconds(60)));
        assertThat(config.pluginsDir(), is(Path.of("plugins").toAbsolutePath()));
    }

    @Test
    void backendsListEnablesSeveralWithTheDefaultFirst() {
        GatewayConfig config = TestGateways.config("LLM_BACKEND", "api", "LLM_BACKENDS", " mock, CLI ,api,mock");

        assertThat(config.defaultBackend(), is("api"));
        assertThat(config.enabledBackends(), is(List.of("api", "mock", "cli")));
        assertThat(TestGateways.config("LLM_BACKENDS", "mock,cli").defaultBackend(), is("mock"));
    }

    @Test
    void unusableValuesNameTheirKey() {
        PluginConfigurationException port = assertThrows(PluginConfigurationException.class,
                                                         () -> TestGateways.config("LLM_PORT", "http"));
        PluginConfigurationException timeout = assertThrows(PluginConfigurationException.class,
                                                             () -> TestGateways.config("LLM_REQUEST_TIMEOUT", "0"));

        assertThat(port.getMessage(), is("LLM_PORT must be an integer from 0 to 65535, got 'http'"));
        assertThat(timeout.getMessage(), containsString("LLM_REQUEST_TIMEOUT"));
    }

    @Test
    void aBackendNoPluginProvidesStopsStartWithTheAvailableTypes() {
        GatewayStartupException e = assertThrows(GatewayStartupException.class, () -> TestGateways.start(
                TestGateways.config("LLM_BACKEND", "cli"), new TestGateways.LogCapture(),
                List.of(new MockBackendProvider()), List.of()));

        assertThat(e.getMessage(), containsString("LLM_BACKEND/LLM_BACKENDS asks for backend type 'cli'"));
        assertThat(e.getMessage(), containsString("available types: mock"));
    }

    @Test
    void configuringAMiddlewareWhosePluginIsAbsentStopsStart() {
        GatewayStartupException e = assertThrows(GatewayStartupException.class, () -> TestGateways.start(
                TestGateways.config("LLM_BACKEND", "mock", "LLM_CACHE_TTL", "60"), new TestGateways.LogCapture(),
                List.of(new MockBackendProvider()), List.of()));

        assertThat(e.getMessage(), startsWith("LLM_CACHE_TTL is set, but neither the host nor a loaded plugin reads it;"
                                                      + " unset it, or add the plugin that reads it to "));
    }

    @Test
    void aPluginConfigurationErrorStopsStartWithItsMessage() {
        GatewayStartupException e = assertThrows(GatewayStartupException.class, () -> TestGateways.start(
                TestGateways.config("LLM_BACKEND", "mock", "LLM_MOCK_LATENCY_MS", "soon"),
                new TestGateways.LogCapture(), List.of(new MockBackendProvider()), List.of()));

        assertThat(e.getMessage(), is("backend mock: LLM_MOCK_LATENCY_MS must be an integer from 0 to 600000, got 'soon'"));
    }

    @Test
    void aBackendThatFailsToStartClosesTheOthers() {
        ScriptedBackend first = new ScriptedBackend("first", "a");
        BackendProvider broken = new BackendProvider() {
            @Override
            public String type() {
                return "broken";
            }

            @Override
            public Backend create(PluginContext context) {
                throw new IllegalStateException("cannot reach anything");
            }
        };

        GatewayStartupException e = assertThrows(GatewayStartupException.class, () -> TestGateways.start(
                TestGateways.config("LLM_BACKENDS", "first,broken"), new TestGateways.LogCapture(),
                List.of(first.provider(), broken), List.of()));

        assertThat(e.getMessage(), containsString("backend broken failed to start"));
        assertThat(e.getMessage(), containsString("cannot reach anything"));
        assertThat(first.closed(), is(true));
    }
}
