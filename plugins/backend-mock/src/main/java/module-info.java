/**
 * The mock backend (type {@code mock}): deterministic answers derived from the request, honest token
 * counts, {@code max_tokens} truncation and streaming in several deltas, with no network and no cost.
 * It emulates tool calls (arguments generated from each tool's JSON schema), answers to tool results,
 * structured outputs (documents valid against a {@code json_schema}) and images, so agents can be
 * developed against it. For development, demos and tests; it never calls a model. RgxGen, its one
 * dependency, ships in its plugin folder.
 */
module io.llmgateway.backend.mock {
    requires io.llmgateway.api;
    requires rgxgen;

    provides io.llmgateway.api.BackendProvider with io.llmgateway.backend.mock.MockBackendProvider;
}
