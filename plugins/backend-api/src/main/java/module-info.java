/**
 * The api backend (type {@code api}): the production path. Translates OpenAI chat requests to the
 * Anthropic Messages API and back, both ways and in both modes (JSON and streamed), and relays
 * OpenAI-compatible upstreams (vLLM, Ollama, OpenAI) unchanged apart from the model name. It owns the
 * upstream HTTP calls, one attempt each (the host's router owns retries): connection reuse, timeouts, error
 * mapping, the {@code FailureKind} of each failure, and aborting calls whose client went away. Nothing
 * else: no retries, no pooling of processes, no HTTP serving. The Anthropic
 * shapes themselves (content blocks, stream events, stop reasons, usage, error types) are the private
 * library {@code io.llmgateway.anthropic}, shipped in this plugin's folder and shared with the cli backend.
 */
module io.llmgateway.backend.api {
    requires io.llmgateway.api;
    requires io.llmgateway.anthropic;
    requires io.helidon.webclient;

    provides io.llmgateway.api.BackendProvider with io.llmgateway.backend.api.ApiBackendProvider;
}
