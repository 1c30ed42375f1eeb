package io.llmgateway.host.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.backend.api.ApiBackendProvider;
import io.llmgateway.backend.cli.CliBackendProvider;
import io.llmgateway.backend.mock.MockBackendProvider;
import io.llmgateway.middleware.ratelimit.RateLimitProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The example file in docs/routing.md is one the gateway takes: it parses, and every deployment's and middleware's
 * settings bind against the real plugins' descriptors. So the documentation cannot drift from the code.
 */
class TestRoutingDocExample {

    @TempDir
    Path dir;

    @Test
    void theDocumentedExampleParsesAndBindsAgainstThePlugins() throws IOException {
        Path secret = Files.writeString(dir.resolve("key_b"), "sk-ant-file-secret\n");
        String yaml = example().replace("/run/secrets/key_b", secret.toString());
        Environment environment = new Environment(Map.of("ANTHROPIC_KEY_A", "sk-ant-env-secret"));

        RoutingConfig config = ConfigFile.parse(yaml.getBytes(StandardCharsets.UTF_8), "gw.yaml", environment);

        Map<String, PluginDescriptor> types = Map.of("api", new ApiBackendProvider().descriptor(),
                                                     "cli", new CliBackendProvider().descriptor(),
                                                     "mock", new MockBackendProvider().descriptor());
        for (RoutingConfig.Deployment deployment : config.deployments()) {
            PluginSettings.bind("deployment " + deployment.name(), types.get(deployment.type()), deployment.settings(),
                                deployment::settingName);
        }
        PluginSettings.bind("middleware ratelimit", new RateLimitProvider().descriptor(),
                            config.middleware().get("ratelimit"), key -> key);
        assertThat(config.secrets().containsAll(List.of("sk-ant-env-secret", "sk-ant-file-secret")), is(true));
        assertThat(config.models().stream().map(RoutingConfig.Model::name).toList(),
                   is(List.of("sonnet", "llama", "claude-*")));
        assertThat(config.router().firstDeltaTimeout().toSeconds(), is(20L));
    }

    /** The first yaml block of docs/routing.md. */
    private static String example() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "routing.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }
}
