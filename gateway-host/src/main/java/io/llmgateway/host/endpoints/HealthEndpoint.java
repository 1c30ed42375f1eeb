package io.llmgateway.host.endpoints;

import java.util.function.BooleanSupplier;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.BackendHealth;
import io.llmgateway.host.backends.BackendRouter;
import io.llmgateway.host.http.ErrorResponses;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;

/**
 * {@code GET /health} (every backend's state; UP when all are UP), {@code /health/live} (the process
 * serves HTTP) and {@code /health/ready} (the default backend can serve, and the gateway is not shutting
 * down). DOWN answers are 503s, as Kubernetes probes expect.
 */
public final class HealthEndpoint implements HttpService {

    private final BackendRouter router;
    private final BooleanSupplier draining;

    /**
     * Creates the endpoint.
     *
     * @param router   the enabled backends
     * @param draining whether a shutdown has begun (readiness is then DOWN at once)
     */
    public HealthEndpoint(BackendRouter router, BooleanSupplier draining) {
        this.router = router;
        this.draining = draining;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::overall)
                .get("/live", this::live)
                .get("/ready", this::ready)
                .any("/", ErrorResponses.methodNotAllowed("GET"))
                .any("/live", ErrorResponses.methodNotAllowed("GET"))
                .any("/ready", ErrorResponses.methodNotAllowed("GET"));
    }

    private void overall(ServerRequest request, ServerResponse response) {
        boolean allUp = true;
        JsonArrayBuilder backends = Json.createArrayBuilder();
        for (BackendRouter.Enabled enabled : router.all()) {
            BackendHealth health = enabled.backend().health();
            allUp &= health.isUp();
            backends.add(Json.createObjectBuilder()
                                 .add("type", enabled.type())
                                 .add("status", health.state().name())
                                 .add("default", enabled == router.defaultBackend())
                                 .add("detail", health.detail()));
        }
        response.status(allUp ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                .send(Json.createObjectBuilder()
                              .add("status", allUp ? "UP" : "DOWN")
                              .add("default_backend", router.defaultBackend().type())
                              .add("backends", backends)
                              .build());
    }

    private void live(ServerRequest request, ServerResponse response) {
        response.send(Json.createObjectBuilder().add("status", "UP").build());
    }

    private void ready(ServerRequest request, ServerResponse response) {
        BackendRouter.Enabled defaultBackend = router.defaultBackend();
        if (draining.getAsBoolean()) {
            response.status(Status.SERVICE_UNAVAILABLE_503)
                    .send(Json.createObjectBuilder()
                                  .add("status", "DOWN")
                                  .add("backend", defaultBackend.type())
                                  .add("detail", "shutting down")
                                  .build());
            return;
        }
        BackendHealth health = defaultBackend.backend().health();
        response.status(health.isUp() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                .send(Json.createObjectBuilder()
                              .add("status", health.isUp() ? "UP" : "DOWN")
                              .add("backend", defaultBackend.type())
                              .add("backend_status", health.state().name())
                              .add("detail", health.detail())
                              .build());
    }
}
