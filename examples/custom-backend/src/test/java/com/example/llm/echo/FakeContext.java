package com.example.llm.echo;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginMetrics;

/**
 * A plugin context whose configuration is a map; the provider uses nothing else, so the rest fails loudly.
 */
final class FakeContext implements PluginContext {

    private final Map<String, String> settings;

    FakeContext(Map<String, String> settings) {
        this.settings = settings;
    }

    @Override
    public String pluginName() {
        return "echo";
    }

    @Override
    public PluginConfig config() {
        return key -> Optional.ofNullable(settings.get(key));
    }

    @Override
    public PluginMetrics metrics() {
        throw new UnsupportedOperationException("not used by the echo backend");
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("echo");
    }

    @Override
    public ScheduledExecutorService scheduler() {
        throw new UnsupportedOperationException("not used by the echo backend");
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }
}
