package io.llmgateway.middleware.ratelimit;

import java.nio.file.Path;

import io.llmgateway.testkit.SettingsTable;

import org.junit.jupiter.api.Test;

/**
 * The plugin's README shows the settings its descriptor declares.
 */
final class TestRateLimitSettings {

    @Test
    void theReadmesSettingsTableIsTheDescriptors() {
        SettingsTable.assertReadmeMatches(RateLimitProvider.DESCRIPTOR, Path.of("README.md"));
    }
}
