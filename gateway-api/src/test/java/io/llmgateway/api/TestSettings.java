package io.llmgateway.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestSettings {

    private static final SettingSpec<Integer> POOL_SIZE = SettingSpec.of("pool_size", ValueTypes.integer(0, 64),
                                                                         "warm sessions kept ready")
            .env("LLM_POOL_SIZE").defaultValue(2);
    private static final SettingSpec<Duration> TIMEOUT = SettingSpec.of("timeout", ValueTypes.positiveDuration(),
                                                                        "how long to wait")
            .env("LLM_TIMEOUT");
    private static final SettingSpec<String> KEY = SettingSpec.of("api_key", ValueTypes.secret(), "the key")
            .env("LLM_KEY");
    private static final List<SettingSpec<?>> ALL = List.of(POOL_SIZE, TIMEOUT, KEY);

    @Test
    void boundSettingsGiveValuesAndDefaults() {
        Settings settings = Settings.bind(ALL, SettingSource.environment(Map.of("LLM_TIMEOUT", "1.5",
                                                                                  "LLM_UNRELATED", "x")));

        assertEquals(2, settings.get(POOL_SIZE));
        assertEquals(Optional.of(Duration.ofMillis(1500)), settings.find(TIMEOUT));
        assertEquals(Optional.empty(), settings.find(KEY));
        assertEquals("LLM_KEY must be set", assertThrows(PluginConfigurationException.class,
                                                          () -> settings.get(KEY)).getMessage());
    }

    @Test
    void aBadValueFailsBindingInOneLineWithNameValueAndWhatIsAllowed() {
        PluginConfigurationException e = assertThrows(PluginConfigurationException.class, () -> Settings.bind(
                ALL, SettingSource.environment(Map.of("LLM_POOL_SIZE", "65\nmore"))));

        assertEquals("LLM_POOL_SIZE must be an integer from 0 to 64, got '65\\nmore'", e.getMessage());
    }

    @Test
    void aSecretsValueIsNeverInTheMessage() {
        SettingSpec<Integer> secretNumber = SettingSpec.of("pin", ValueTypes.integer(0, 9999), "a pin").env("LLM_PIN")
                .secret();

        PluginConfigurationException e = assertThrows(PluginConfigurationException.class, () -> Settings.bind(
                List.of(secretNumber), SettingSource.environment(Map.of("LLM_PIN", "hunter2"))));

        assertEquals("LLM_PIN must be an integer from 0 to 9999", e.getMessage());
        assertTrue(secretNumber.isSecret());
        assertEquals("", secretNumber.defaultValue(1234).defaultText());
    }

    @Test
    void blankCountsAsAbsent() {
        Settings settings = Settings.bind(ALL, SettingSource.environment(Map.of("LLM_POOL_SIZE", "  ")));

        assertEquals(2, settings.get(POOL_SIZE));
    }

    @Test
    void aSettingTheDescriptorDoesNotDeclareCannotBeRead() {
        Settings settings = Settings.bind(List.of(POOL_SIZE), SettingSource.environment(Map.of()));

        assertThrows(IllegalArgumentException.class, () -> settings.find(TIMEOUT));
    }

    @Test
    void settingsParsedOnReadFailWhenRead() {
        Settings settings = Settings.parsedOnRead(SettingSource.environment(Map.of("LLM_POOL_SIZE", "lots")));

        assertEquals(Optional.empty(), settings.find(TIMEOUT));
        assertThrows(PluginConfigurationException.class, () -> settings.get(POOL_SIZE));
    }

    @Test
    void aDefaultIsShownAsItWouldBeConfigured() {
        assertEquals("2", POOL_SIZE.defaultText());
        assertEquals("5m", SettingSpec.of("t", ValueTypes.duration(), "d").defaultValue(Duration.ofMinutes(5)).defaultText());
        assertEquals("a new temporary directory",
                     SettingSpec.of("dir", ValueTypes.path(), "d").defaultText("a new temporary directory").defaultText());
    }

    @Test
    void keysAndVariablesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> SettingSpec.of("Pool-Size", ValueTypes.string(), "d"));
        assertThrows(IllegalArgumentException.class, () -> SettingSpec.of("pool", ValueTypes.string(), "d").env("llm_pool"));
        assertThrows(IllegalArgumentException.class, () -> SettingSpec.of("pool", ValueTypes.string(), "two\nlines"));
    }

    @Test
    void pluginConfigParsesWithTheSameTypes() {
        PluginConfig config = key -> Optional.ofNullable(Map.of("LLM_PORT", "http", "LLM_CACHE_MAX_BYTES", "64m",
                                                                "LLM_TIMEOUT", "500ms").get(key));

        assertEquals("LLM_PORT must be an integer from 0 to 65535, got 'http'",
                     assertThrows(PluginConfigurationException.class,
                                  () -> config.integer("LLM_PORT", 1, 0, 65535)).getMessage());
        assertEquals(64L << 20, config.bytes("LLM_CACHE_MAX_BYTES", 1, 1));
        assertEquals(Duration.ofMillis(500), config.seconds("LLM_TIMEOUT", Duration.ZERO));
        assertFalse(config.bool("LLM_UNSET", false));
    }
}
