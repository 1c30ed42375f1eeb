package io.llmgateway.host.endpoints;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.host.router.Deployment;
import io.llmgateway.host.router.Router;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code GET /sessions}: every long-lived session of every backend.
 */
public final class SessionsEndpoint implements Handler {

    private final Router router;

    /**
     * Creates the endpoint.
     *
     * @param router the router over the deployments
     */
    public SessionsEndpoint(Router router) {
        this.router = router;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder sessions = Json.createArrayBuilder();
        for (Deployment deployment : router.state().deployments()) {
            for (SessionInfo session : deployment.backend().sessions()) {
                sessions.add(json(deployment, session));
            }
        }
        response.send(Json.createObjectBuilder().add("sessions", sessions).build());
    }

    private static JsonObjectBuilder json(Deployment deployment, SessionInfo session) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("id", session.id())
                .add("backend", deployment.type())
                .add("deployment", deployment.name())
                .add("state", session.state());
        if (session.pid().isPresent()) {
            json.add("pid", session.pid().getAsLong());
        } else {
            json.addNull("pid");
        }
        json.add("model", session.model())
                .add("origin", session.origin())
                .add("created", session.created().toString());
        session.lastUsed().ifPresentOrElse(time -> json.add("last_used", time.toString()),
                                           () -> json.addNull("last_used"));
        json.add("requests", session.requests()).add("turns_held", session.turnsHeld());
        return json;
    }
}
