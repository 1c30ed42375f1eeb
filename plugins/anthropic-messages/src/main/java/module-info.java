/**
 * A private library, not a plugin: the one mapping between the OpenAI chat shapes of the SPI and
 * Anthropic's Messages API, shared by the api backend (which calls the Messages API over HTTP) and the
 * cli backend (whose {@code claude} process prints the same stream events on stdout). It owns what both
 * need of the Messages shape: OpenAI messages, images, tool calls, tool results, tools and
 * {@code tool_choice} as Anthropic content; stream events and whole messages as deltas; stop reasons
 * as finish reasons; usage sums; Anthropic's error types and statuses as the client's errors. It
 * provides no service, holds no state between calls and does no I/O: no HTTP, no processes, no
 * settings, nothing specific to one of its two users. Each plugin folder ships its own copy of this
 * jar, so the module is exported to those two backends only.
 */
module io.llmgateway.anthropic {
    requires transitive io.llmgateway.api;

    exports io.llmgateway.anthropic to io.llmgateway.backend.api, io.llmgateway.backend.cli;
}
