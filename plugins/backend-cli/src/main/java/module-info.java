/**
 * The cli backend (type {@code cli}): serves the OpenAI API from a pool of long-lived, pre-warmed
 * {@code claude} CLI processes (Claude Code in stream-json mode, with none of its own tools; the client's
 * functions are listed by the gateway's sdk MCP server and executed by the client), so development costs a
 * subscription rather than per-token fees and a request costs the model's time, not a cold start. It
 * owns the processes (spawn, warm-up, keep-alive, replacement, shutdown), the mapping between OpenAI
 * requests and CLI turns, and nothing else: no HTTP, no other backend's concerns. The Anthropic shapes
 * the CLI prints (stream events, stop reasons, usage, error statuses) are read with the private library
 * {@code io.llmgateway.anthropic}, shipped in this plugin's folder and shared with the api backend.
 */
module io.llmgateway.backend.cli {
    requires io.llmgateway.api;
    requires io.llmgateway.anthropic;

    provides io.llmgateway.api.BackendProvider with io.llmgateway.backend.cli.CliBackendProvider;
}
