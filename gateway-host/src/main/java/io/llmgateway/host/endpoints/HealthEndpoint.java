package io.llmgateway.host.endpoints;

import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.BackendHealth;
import io.llmgateway.host.router.Breaker;
import io.llmgateway.host.router.Deployment;
import io.llmgateway.host.router.Router;
import io.llmgateway.host.http.ErrorResponses;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code GET /health} (every deployment's backend state, breakers (one per model it is sent), attempts in flight and latency estimate; UP when
 * every backend is UP: an open breaker is the router's business, not a reason to restart the replica), {@code /health/live} (the process
 * serves HTTP) and {@code /health/ready} (the first deployment can serve, and the gateway is not shutting
 * down). DOWN answers are 503s, as Kubernetes probes expect.
 */
public final class HealthEndpoint implements HttpService {

    private final Router router;
    private final BooleanSupplier draining;

    /**
     * Creates the endpoint.
     *
     * @param router   the router over the deployments
     * @param draining whether a shutdown has begun (readiness is then DOWN at once)
     */
    public HealthEndpoint(Router router, BooleanSupplier draining) {
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
        List<Deployment> deployments = router.state().deployments();
        for (Deployment deployment : deployments) {
            BackendHealth health = deployment.backend().health();
            allUp &= health.isUp();
            JsonArrayBuilder breakers = Json.createArrayBuilder();
            deployment.breakers().forEach((model, breaker) -> breakers.add(json(model, breaker.snapshot())));
            backends.add(Json.createObjectBuilder()
                                 .add("name", deployment.name())
                                 .add("type", deployment.type())
                                 .add("status", health.state().name())
                                 .add("default", deployment == deployments.getFirst())
                                 .add("detail", health.detail())
                                 .add("breakers", breakers)
                                 .add("in_flight", deployment.inFlight())
                                 .add("latency_ms", deployment.latency().estimate().toNanos() / 1e6));
        }
        response.status(allUp ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                .send(Json.createObjectBuilder()
                              .add("status", allUp ? "UP" : "DOWN")
                              .add("default_backend", deployments.getFirst().type())
                              .add("config", router.state().config().origin())
                              .add("backends", backends)
                              .build());
    }

    private static JsonObjectBuilder json(String model, Breaker.Snapshot breaker) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("model", model)
                .add("state", breaker.state().name().toLowerCase(Locale.ROOT))
                .add("failures", breaker.failures());
        breaker.openUntil().ifPresent(until -> json.add("open_until", until.toString()));
        if (!breaker.reason().isEmpty()) {
            json.add("reason", breaker.reason());
        }
        return json;
    }

    private void live(ServerRequest request, ServerResponse response) {
        response.send(Json.createObjectBuilder().add("status", "UP").build());
    }

    private void ready(ServerRequest request, ServerResponse response) {
        Deployment defaultBackend = router.state().deployments().getFirst();
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
