package io.llmgateway.backend.mock;

import java.time.Duration;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;

/**
 * Provides the {@code mock} backend.
 *
 * <p>{@code LLM_MOCK_RESPONSE} fixes the text answers (default: derived from the last user message or the
 * tool results; tool calls and JSON documents are generated all the same);
 * {@code LLM_MOCK_LATENCY_MS} delays the first delta (default 0).
 */
public final class MockBackendProvider implements BackendProvider {

    @Override
    public String type() {
        return "mock";
    }

    @Override
    public Backend create(PluginContext context) {
        PluginConfig config = context.config();
        Duration latency = Duration.ofMillis(config.integer("LLM_MOCK_LATENCY_MS", 0, 0, 600_000));
        return new MockBackend(config.value("LLM_MOCK_RESPONSE"), latency, context.clock());
    }
}
