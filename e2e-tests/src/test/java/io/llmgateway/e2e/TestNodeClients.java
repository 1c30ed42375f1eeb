package io.llmgateway.e2e;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Node clients people build agents with (OpenAI's Node SDK: parse() with zodResponseFormat and
 * runTools(); the Vercel AI SDK: generateText/streamText with tools, generateObject/streamObject;
 * LangChain JS: bindTools, withStructuredOutput) against the distribution's mock backend.
 */
final class TestNodeClients {

    private static GatewayProcess gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        NodeClients.installed();
        gateway = GatewayProcess.start("node-clients", Map.of());
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "vercel-ai.mjs", "langchain.mjs"})
    void passesEveryCase(String script) throws Exception {
        NodeClients.Ran ran = NodeClients.run(script, gateway.uri("/v1").toString(), "mock", "mock");

        assertEquals(0, ran.status(), () -> script + " failed:\n" + ran.output());
    }
}
