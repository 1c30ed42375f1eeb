/**
 * The llm-gateway host: loads backend and middleware plugins, serves the OpenAI-compatible HTTP API
 * on Helidon WebServer, validates every request, routes it by model to a backend through the
 * middleware chain, and makes it observable (health, sessions, Prometheus metrics, one JSON log line
 * per request). It owns no model logic: that lives in the plugins.
 */
module io.llmgateway.host {
    requires io.llmgateway.api;
    requires io.helidon.webserver;
    requires io.helidon.common.socket;
    requires io.helidon.http.media.jsonp;
    requires io.helidon.metrics.api;
    requires org.snakeyaml.engine;
    requires java.logging;
    requires java.management;
    requires jdk.management;

    // LogManager instantiates GatewayLogManager reflectively (-Djava.util.logging.manager)
    exports io.llmgateway.host to java.logging;

    uses io.llmgateway.api.BackendProvider;
    uses io.llmgateway.api.MiddlewareProvider;
    uses io.helidon.metrics.spi.MeterRegistryFormatterProvider;
}
