package io.llmgateway.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.models.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unmodified distribution with plugins directories made for each test (LLM_PLUGINS_DIR): a missing
 * backend, a team's own backend next to the mock, a broken jar. Each test needs its own gateway.
 */
final class TestPluginLoading {

    private static final String MOCK_PLUGIN = "backend-mock";

    @TempDir
    private Path pluginsRoot;

    @Test
    void refusesToStartWithoutThePluginOfTheBackend() throws Exception {
        GatewayProcess.Exited exit = GatewayProcess.runToExit("missing-backend",
                                                              Map.of("LLM_PLUGINS_DIR", pluginsRoot.toString()));

        assertEquals(2, exit.status(), exit::stderr);
        List<String> messages = exit.stderr().lines().filter(line -> line.startsWith("llm-gateway: ")).toList();
        assertEquals(1, messages.size(), exit::stderr);
        String message = messages.getFirst();
        assertTrue(message.contains("'mock'") && message.contains("available types"), message);
    }

    @Test
    void servesATeamsOwnBackendNextToTheMock() throws Exception {
        PluginsDir plugins = PluginsDir.at(pluginsRoot)
                .withDistributionPlugin(MOCK_PLUGIN)
                .withFile("echo", "custom-backend.jar", BuiltArtifacts.exampleJar());
        Map<String, String> settings = Map.of("LLM_PLUGINS_DIR", plugins.path(),
                                              "LLM_BACKENDS", "mock,echo",
                                              "ECHO_PREFIX", "Echo: ");

        try (GatewayProcess gateway = GatewayProcess.start("custom-backend", settings)) {
            OpenAIClient client = gateway.client();
            List<String> models = client.models().list().data().stream().map(Model::id).toList();
            assertTrue(models.containsAll(List.of("mock", "echo")), models::toString);

            ChatCompletion completion = client.chat().completions().create(Chat.ask("echo", "hello plugin world"));

            assertEquals("Echo: hello plugin world", Chat.content(completion));
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().getFirst().finishReason());
            assertEquals(4, completion.usage().orElseThrow().completionTokens(), "one token per word");
        }
    }

    @Test
    void skipsABrokenPluginAndServesTheOthers() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        PluginsDir plugins = PluginsDir.at(pluginsRoot)
                .withDistributionPlugin(MOCK_PLUGIN)
                .withFile("broken", "broken.jar", garbage);

        try (GatewayProcess gateway = GatewayProcess.start("broken-plugin", Map.of("LLM_PLUGINS_DIR", plugins.path()))) {
            assertTrue(gateway.stderr().lines().anyMatch(line -> line.contains("plugin broken") && line.contains("broken.jar")),
                       gateway::stderr);

            ChatCompletion completion = gateway.client().chat().completions().create(Chat.ask("mock", "still there?"));

            assertTrue(Chat.content(completion).contains("still there?"), () -> Chat.content(completion));
        }
    }
}
