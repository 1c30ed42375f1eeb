package io.llmgateway.backend.mock;

import java.time.Duration;
import java.util.List;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.Settings;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.ValueTypes;

/**
 * Provides the {@code mock} backend; its settings are in {@link #DESCRIPTOR} (and the plugin's README).
 */
public final class MockBackendProvider implements BackendProvider {

    static final SettingSpec<String> RESPONSE = SettingSpec.of(
                    "response", ValueTypes.string(),
                    "a fixed text for every text answer (tool calls and JSON documents are generated all the same)")
            .env("LLM_MOCK_RESPONSE").defaultText("derived from the last user message or the tool results");
    static final SettingSpec<Integer> LATENCY_MS = SettingSpec.of(
                    "latency_ms", ValueTypes.integer(0, 600_000), "milliseconds before the first delta")
            .env("LLM_MOCK_LATENCY_MS").defaultValue(0);
    /** What the plugin declares. */
    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.backend(
            "mock", SpiVersion.MAJOR, SpiVersion.MINOR,
            "deterministic answers, streamed token by token, for development and tests", List.of(RESPONSE, LATENCY_MS));

    @Override
    public String type() {
        return "mock";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Backend create(PluginContext context) {
        Settings settings = context.settings();
        return new MockBackend(settings.find(RESPONSE), Duration.ofMillis(settings.get(LATENCY_MS)), context.clock());
    }
}
