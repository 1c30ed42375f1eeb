/**
 * The mock backend (type {@code mock}): deterministic answers derived from the request, honest token
 * counts, {@code max_tokens} truncation and streaming in several deltas, with no network and no cost.
 * For development, demos and tests; it never calls a model.
 */
module io.llmgateway.backend.mock {
    requires io.llmgateway.api;
    requires rgxgen;

    provides io.llmgateway.api.BackendProvider with io.llmgateway.backend.mock.MockBackendProvider;
}
