package io.llmgateway.backend.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.GatewayException;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.Reply;
import io.llmgateway.testkit.SettingsTable;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's README shows the settings its descriptor declares; the deprecated {@code max_retries} still
 * starts the backend, with one warning, and changes nothing.
 */
final class TestApiSettings {

    @Test
    void theReadmesSettingsTableIsTheDescriptors() {
        SettingsTable.assertReadmeMatches(ApiSettings.DESCRIPTOR, Path.of("README.md"));
    }

    @Test
    void maxRetriesIsIgnoredWithOneWarningAtStart() {
        try (FakeAnthropicApi api = FakeAnthropicApi.start().defaultReply(Reply.overloaded());
             ApiFixture backend = ApiFixture.start(Map.of("ANTHROPIC_API_KEY", "sk-test", "ANTHROPIC_BASE_URL",
                                                          api.baseUrl(), "LLM_API_MAX_RETRIES", "3"))) {
            List<String> warned = warnings(backend);
            assertEquals(1, warned.size(), () -> "one warning: " + backend.logged());
            assertTrue(warned.getFirst().startsWith("WARNING ") && warned.getFirst().contains("max_attempts"),
                       warned.getFirst());

            assertThrows(GatewayException.class, () -> backend.chat(
                    "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

            assertEquals(1, api.requestCount(), "still one attempt");
            assertEquals(1, warnings(backend).size(), "warned at start, not per call");
        }
    }

    @Test
    void noWarningWhenMaxRetriesIsUnset() {
        try (FakeAnthropicApi api = FakeAnthropicApi.start();
             ApiFixture backend = ApiFixture.start(Map.of("ANTHROPIC_API_KEY", "sk-test", "ANTHROPIC_BASE_URL",
                                                          api.baseUrl()))) {
            assertEquals(List.of(), warnings(backend));
        }
    }

    private static List<String> warnings(ApiFixture backend) {
        return backend.logged().stream().filter(line -> line.contains("LLM_API_MAX_RETRIES")).toList();
    }
}
