package io.llmgateway.host.endpoints;

import java.util.List;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.host.router.Router;
import io.llmgateway.host.http.ErrorResponses;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models of every enabled backend.
 */
public final class ModelsEndpoint implements HttpService {

    private final Router router;

    /**
     * Creates the endpoint.
     *
     * @param router the router: its public model names are the models
     */
    public ModelsEndpoint(Router router) {
        this.router = router;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one)
                .any("/", ErrorResponses.methodNotAllowed("GET"))
                .any("/{id}", ErrorResponses.methodNotAllowed("GET"));
    }

    private void list(ServerRequest request, ServerResponse response) {
        List<ModelInfo> models = router.state().listedModels();
        JsonArrayBuilder data = Json.createArrayBuilder();
        models.forEach(model -> data.add(json(model)));
        response.send(Json.createObjectBuilder().add("object", "list").add("data", data).build());
    }

    private void one(ServerRequest request, ServerResponse response) {
        String id = request.path().pathParameters().get("id");
        router.state().listedModels().stream().filter(model -> model.id().equals(id)).findFirst().ifPresentOrElse(
                model -> response.send(json(model)),
                () -> ErrorResponses.send(response, GatewayException.modelNotFound(id), List.of()));
    }

    private static JsonObject json(ModelInfo model) {
        return Json.createObjectBuilder()
                .add("id", model.id())
                .add("object", "model")
                .add("created", model.created())
                .add("owned_by", model.ownedBy())
                .build();
    }
}
