/**
 * The auth middleware ({@code auth}): API keys from {@code LLM_API_KEYS} or a reloaded keys file map to
 * tenants; a call without a valid key gets a 401, and a valid one carries its tenant on to logs,
 * metrics and the other middleware. Keys never appear in logs or errors. Failed authentications are limited
 * per client address. Caffeine is private to the plugin's module layer.
 */
module io.llmgateway.middleware.auth {
    requires io.llmgateway.api;
    requires com.github.benmanes.caffeine;

    provides io.llmgateway.api.MiddlewareProvider with io.llmgateway.middleware.auth.AuthMiddlewareProvider;
}
