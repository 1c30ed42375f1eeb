/**
 * Test doubles for the gateway's tests and benchmarks: {@link io.llmgateway.testing.FakeAnthropicApi},
 * a scripted Anthropic Messages API on loopback, {@link io.llmgateway.testing.FakeOpenAiApi}, a scripted
 * OpenAI-compatible chat completions API on loopback (both take the same
 * {@link io.llmgateway.testing.Reply}s, and both run on their own for benchmarks), and
 * {@link io.llmgateway.testing.FakeClaudeCli}, a process that speaks the {@code claude} CLI's stream-json
 * protocol; and fakes of what the host gives a plugin ({@link io.llmgateway.testing.TestPluginContext},
 * {@link io.llmgateway.testing.TestExchange}, {@link io.llmgateway.testing.RecordingSink}), to test a plugin
 * through its SPI. Meant for {@code test} scope only.
 */
module io.llmgateway.testing {
    requires transitive jakarta.json;
    requires transitive io.llmgateway.api;
    requires jdk.httpserver;

    exports io.llmgateway.testing;
}
