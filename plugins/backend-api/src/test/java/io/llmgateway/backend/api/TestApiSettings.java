package io.llmgateway.backend.api;

import java.nio.file.Path;

import io.llmgateway.testkit.SettingsTable;

import org.junit.jupiter.api.Test;

/**
 * The plugin's README shows the settings its descriptor declares.
 */
final class TestApiSettings {

    @Test
    void theReadmesSettingsTableIsTheDescriptors() {
        SettingsTable.assertReadmeMatches(ApiSettings.DESCRIPTOR, Path.of("README.md"));
    }
}
