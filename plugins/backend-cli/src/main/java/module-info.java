/**
 * The cli backend (type {@code cli}): serves the OpenAI API from a pool of long-lived, pre-warmed
 * {@code claude} CLI processes (Claude Code in stream-json mode, with no tools), so development costs a
 * subscription rather than per-token fees and a request costs the model's time, not a cold start. It
 * owns the processes (spawn, warm-up, keep-alive, replacement, shutdown), the mapping between OpenAI
 * requests and CLI turns, and nothing else: no HTTP, no other backend's concerns.
 */
module io.llmgateway.backend.cli {
    requires io.llmgateway.api;

    provides io.llmgateway.api.BackendProvider with io.llmgateway.backend.cli.CliBackendProvider;
}
