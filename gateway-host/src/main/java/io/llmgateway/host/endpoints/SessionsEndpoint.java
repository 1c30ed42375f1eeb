package io.llmgateway.host.endpoints;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.host.backends.BackendRouter;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code GET /sessions}: every long-lived session of every backend.
 */
public final class SessionsEndpoint implements Handler {

    private final BackendRouter router;

    /**
     * Creates the endpoint.
     *
     * @param router the enabled backends
     */
    public SessionsEndpoint(BackendRouter router) {
        this.router = router;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder sessions = Json.createArrayBuilder();
        for (BackendRouter.BackendSession entry : router.sessions()) {
            SessionInfo session = entry.session();
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("id", session.id())
                    .add("backend", entry.backend())
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
            sessions.add(json);
        }
        response.send(Json.createObjectBuilder().add("sessions", sessions).build());
    }
}
