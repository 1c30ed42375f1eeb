/**
 * The testkit for llm-gateway plugins, used in {@code test} scope next to {@code gateway-api} (and nothing else
 * of the gateway), so a team's plugin is tested the way the repository's own are.
 *
 * <p>It owns: {@link io.llmgateway.testkit.BackendContract}, the abstract JUnit 5 class a backend's test
 * extends to run the {@link io.llmgateway.api.Backend} contract against it (the order of deltas, finish and
 * usage, failures before and after the first delta, a client that leaves, the deadline), skipping what a
 * backend cannot be made to do ({@link io.llmgateway.testkit.BackendScenario}); the call's doubles it uses
 * ({@link io.llmgateway.testkit.ContractExchange}, {@link io.llmgateway.testkit.ContractSink});
 * {@link io.llmgateway.testkit.FakePluginContext}, a plugin context whose settings are bound through the
 * plugin's descriptor exactly as the host binds them; and {@link io.llmgateway.testkit.SettingsTable}, which
 * renders a descriptor's settings as the Markdown table of the plugin's README and checks a README against it.
 *
 * <p>It must not hold fakes of any particular upstream (those are in {@code test-support}, which is not
 * published for plugins) nor depend on the host.
 */
module io.llmgateway.testkit {
    requires transitive io.llmgateway.api;
    requires transitive org.junit.jupiter.api;

    exports io.llmgateway.testkit;
}
