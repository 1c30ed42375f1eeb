package io.llmgateway.middleware.auth;

import java.nio.file.Path;

import io.llmgateway.testkit.SettingsTable;

import org.junit.jupiter.api.Test;

/**
 * The plugin's README shows the settings its descriptor declares.
 */
final class TestAuthSettings {

    @Test
    void theReadmesSettingsTableIsTheDescriptors() {
        SettingsTable.assertReadmeMatches(AuthMiddlewareProvider.DESCRIPTOR, Path.of("README.md"));
    }
}
