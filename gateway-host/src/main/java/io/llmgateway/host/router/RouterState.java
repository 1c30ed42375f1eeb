package io.llmgateway.host.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.ModelInfo;
import io.llmgateway.host.config.RoutingConfig;

import static java.util.Objects.requireNonNull;

/**
 * One configuration's routing, immutable: its deployments, its public models and the router's settings. A request
 * takes the state current at its start and keeps it to its end, so a reload never changes a request halfway.
 */
public final class RouterState {

    private final RoutingConfig config;
    private final Map<String, Deployment> deployments;
    private final Map<String, PublicModel> exact;
    private final List<PublicModel> patterns;

    RouterState(RoutingConfig config, Map<String, Deployment> deployments, List<PublicModel> models) {
        this.config = requireNonNull(config, "config is null");
        this.deployments = new LinkedHashMap<>(deployments);
        Map<String, PublicModel> byName = new HashMap<>();
        models.stream().filter(model -> !model.pattern()).forEach(model -> byName.put(model.name(), model));
        this.exact = Map.copyOf(byName);
        this.patterns = models.stream().filter(PublicModel::pattern).toList();
    }

    /** {@return the configuration it was built from} */
    public RoutingConfig config() {
        return config;
    }

    /** {@return the deployments, in configuration order} */
    public List<Deployment> deployments() {
        return List.copyOf(deployments.values());
    }

    /**
     * The public model serving a requested name: an exact name first, else the first pattern that matches.
     *
     * @param requested the client's model
     * @return the model, empty when no configured name or pattern serves it
     */
    Optional<PublicModel> model(String requested) {
        PublicModel model = exact.get(requested);
        if (model != null) {
            return Optional.of(model);
        }
        for (PublicModel pattern : patterns) {
            if (pattern.matches(requested)) {
                return Optional.of(pattern);
            }
        }
        return Optional.empty();
    }

    /** A configured model by its own name (for fallbacks, which name models, not requests). */
    Optional<PublicModel> byName(String name) {
        PublicModel model = exact.get(name);
        if (model != null) {
            return Optional.of(model);
        }
        return patterns.stream().filter(pattern -> pattern.name().equals(name)).findFirst();
    }

    /**
     * The exact public names, for {@code /v1/models}, each described as the backend of its first deployment lists
     * the model it is sent (patterns are not listed).
     *
     * @return the models
     */
    public List<ModelInfo> listedModels() {
        List<ModelInfo> listed = new ArrayList<>();
        for (RoutingConfig.Model model : config.models()) {
            if (model.pattern()) {
                continue;
            }
            RoutingConfig.Target target = model.targets().getFirst();
            Deployment deployment = deployments.get(target.deployment());
            String id = target.upstreamModel().orElse(model.name());
            listed.add(deployment.backend().models().stream().filter(info -> info.id().equals(id)).findFirst()
                               .map(info -> new ModelInfo(model.name(), info.ownedBy(), info.created()))
                               .orElseGet(() -> new ModelInfo(model.name(), "llm-gateway", 0)));
        }
        return listed;
    }
}
