/**
 * The llm-gateway plugin SPI: what a backend or a middleware plugin implements and what the host
 * gives it. Interfaces and immutable records only, no implementation and no Helidon types, so a
 * plugin compiled against one version keeps linking against the next (new extension points are
 * added as default methods).
 */
module io.llmgateway.api {
    requires transitive jakarta.json;

    exports io.llmgateway.api;

    uses io.llmgateway.api.BackendProvider;
    uses io.llmgateway.api.MiddlewareProvider;
}
