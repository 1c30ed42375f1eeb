package io.llmgateway.host.config;

import java.time.Duration;
import java.util.List;

import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.ValueTypes;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

final class TestHelpConfig {

    @Test
    void everySettingIsARowOfAlignedColumnsAndNoSecretIsShown() {
        SettingSpec<Duration> ttl = SettingSpec.of("ttl", ValueTypes.duration(), "how long answers are kept")
                .env("LLM_CACHE_TTL").defaultValue(Duration.ZERO);
        SettingSpec<String> key = SettingSpec.of("api_key", ValueTypes.secret(), "the key").env("LLM_KEY")
                .defaultValue("sk-default-value");

        String text = HelpConfig.render("settings", List.of(
                new HelpConfig.Section("host", "the gateway itself", HostSettings.ALL),
                new HelpConfig.Section("middleware cache (plugin middleware-cache 1.0, SPI 1.0)", "a cache",
                                       List.of(ttl, key))), List.of("not listed: plugin broken failed to load: x"));

        assertThat(text, containsString("\nmiddleware cache (plugin middleware-cache 1.0, SPI 1.0): a cache\n"));
        assertThat(text, containsString("  LLM_CACHE_TTL  ttl      duration  -      0s       -      how long answers are kept\n"));
        assertThat(text, containsString("  LLM_KEY        api_key  secret    -      -        yes    the key\n"));
        assertThat(text, containsString("LLM_PORT "));
        assertThat(text, containsString(" 0..65535 "));
        assertThat(text, not(containsString("sk-default-value")));
        assertThat(text.endsWith("not listed: plugin broken failed to load: x\n"), is(true));
    }
}
