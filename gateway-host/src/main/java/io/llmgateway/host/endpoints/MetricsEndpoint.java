package io.llmgateway.host.endpoints;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.host.observe.GatewayMetrics;

/**
 * {@code GET /metrics}: Prometheus text exposition format.
 */
public final class MetricsEndpoint implements Handler {

    private final GatewayMetrics metrics;

    /**
     * Creates the endpoint.
     *
     * @param metrics the gateway's metrics
     */
    public MetricsEndpoint(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .send(metrics.prometheus());
    }
}
