package io.llmgateway.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.ValueTypes;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestSettingsTable {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.middleware("demo", 1, 0, "a demo", List.of(
            SettingSpec.of("ttl", ValueTypes.duration(), "how long").env("LLM_DEMO_TTL").defaultValue(Duration.ofMinutes(5)),
            SettingSpec.of("key", ValueTypes.secret(), "the key").env("LLM_DEMO_KEY"),
            SettingSpec.of("mode", ValueTypes.oneOf(Mode.class), "which way").defaultValue(Mode.FAST)));

    enum Mode { FAST, SLOW }

    @TempDir
    Path dir;

    @Test
    void oneRowPerSetting() {
        assertEquals("""
                             | key | environment variable | type | range | default | secret | what it does |
                             | --- | --- | --- | --- | --- | --- | --- |
                             | `ttl` | `LLM_DEMO_TTL` | duration |  | `5m` |  | how long |
                             | `key` | `LLM_DEMO_KEY` | secret |  |  | yes | the key |
                             | `mode` |  | enum | fast, slow | `fast` |  | which way |
                             """, SettingsTable.markdown(DESCRIPTOR));
    }

    @Test
    void aReadmeThatDriftedFails() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("settings.table.write"), "the tables are being rewritten");
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# demo\n\n" + SettingsTable.BEGIN + "\n| old |\n" + SettingsTable.END + "\n\nmore\n");

        AssertionError e = assertThrows(AssertionError.class, () -> SettingsTable.assertReadmeMatches(DESCRIPTOR, readme));

        assertTrue(e.getMessage().contains("differs from demo's descriptor"), e.getMessage());
        Files.writeString(readme, "# demo\n\n" + SettingsTable.BEGIN + "\n" + SettingsTable.markdown(DESCRIPTOR)
                + SettingsTable.END + "\n\nmore\n");
        SettingsTable.assertReadmeMatches(DESCRIPTOR, readme);
    }

    @Test
    void aFakeContextBindsThroughTheDescriptorAndHidesTheRest() {
        try (FakePluginContext context = FakePluginContext.of(DESCRIPTOR, Map.of("LLM_DEMO_TTL", "30s", "HOME", "/home/x"))) {
            assertEquals(Duration.ofSeconds(30), context.settings().get(DESCRIPTOR.settings().getFirst()));
            assertTrue(context.config().value("HOME").isEmpty());
        }
        assertThrows(io.llmgateway.api.PluginConfigurationException.class,
                     () -> FakePluginContext.of(DESCRIPTOR, Map.of("LLM_DEMO_TTL", "soon")));
    }
}
