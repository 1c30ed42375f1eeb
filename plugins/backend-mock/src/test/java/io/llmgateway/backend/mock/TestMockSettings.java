package io.llmgateway.backend.mock;

import java.nio.file.Path;

import io.llmgateway.testkit.SettingsTable;

import org.junit.jupiter.api.Test;

/**
 * The plugin's README shows the settings its descriptor declares.
 */
final class TestMockSettings {

    @Test
    void theReadmesSettingsTableIsTheDescriptors() {
        SettingsTable.assertReadmeMatches(MockBackendProvider.DESCRIPTOR, Path.of("README.md"));
    }
}
