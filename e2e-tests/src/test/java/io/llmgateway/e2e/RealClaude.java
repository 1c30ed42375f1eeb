package io.llmgateway.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.llmgateway.testing.FakeAnthropicApi;

/**
 * The real {@code claude} binary (the pinned npm version that {@code scripts/install-claude} installs;
 * {@code scripts/test} passes its path as {@code LLM_TEST_CLAUDE}) and the gateway settings that run it
 * against a fake Anthropic API on loopback.
 */
final class RealClaude {

    private RealClaude() {
    }

    static Path binary() {
        String path = System.getenv("LLM_TEST_CLAUDE");
        if (path == null || !Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException("LLM_TEST_CLAUDE must name the claude binary (was " + path
                                                    + "); scripts/test installs the pinned version and sets it");
        }
        return Path.of(path);
    }

    /**
     * Settings for a gateway whose default backend is the cli backend, talking to the fake API.
     *
     * @param api   the fake Anthropic API
     * @param extra more settings, which win
     * @return the settings
     */
    static Map<String, String> gatewaySettings(FakeAnthropicApi api, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("LLM_BACKEND", "cli");
        settings.put("LLM_CLI_COMMAND", binary().toString());
        settings.put("ANTHROPIC_BASE_URL", api.baseUrl());
        settings.put("ANTHROPIC_API_KEY", "sk-test");
        settings.put("LLM_POOL_SIZE", "2");
        settings.putAll(extra);
        return settings;
    }
}
