/**
 * The measuring part of {@code bench/run-cli}: how long the {@code claude} CLI takes cold (one-shot
 * {@code claude -p}) and warm (a turn on a long-lived stream-json process), and what the gateway's cli
 * backend adds on top, all against {@link io.llmgateway.testing.FakeAnthropicApi} answering at once.
 */
module io.llmgateway.bench.cli {
    requires io.llmgateway.testing;
    requires java.net.http;
    requires jakarta.json;
}
