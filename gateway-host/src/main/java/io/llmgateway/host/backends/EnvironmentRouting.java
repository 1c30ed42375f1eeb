package io.llmgateway.host.backends;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.host.config.RoutingConfig;
import io.llmgateway.host.router.Router;

/**
 * The routing today's variables describe, without a configuration file: one deployment per enabled backend type
 * (named after it, the default first), each model a backend lists served by the first that lists it, and each of
 * {@code LLM_MODEL_PATTERNS} by the first backend that takes such names. So only listed names and the patterns are
 * served and become metric labels, never whatever a client invents.
 */
public final class EnvironmentRouting {

    private final RoutingConfig config;
    private final Map<String, Backend> started;

    private EnvironmentRouting(RoutingConfig config, Map<String, Backend> started) {
        this.config = config;
        this.started = started;
    }

    /**
     * Starts the enabled backends and derives their routing.
     *
     * @param types    the enabled backend types, the default first
     * @param patterns model name globs to serve besides the listed names
     * @param router   the router's settings
     * @param factory  starts a backend
     * @return the routing, with the backends it started
     */
    public static EnvironmentRouting start(List<String> types, List<String> patterns, RoutingConfig.Router router,
                                           Router.DeploymentFactory factory) {
        List<RoutingConfig.Deployment> deployments = new ArrayList<>();
        Map<String, Backend> started = new LinkedHashMap<>();
        try {
            for (String type : new LinkedHashSet<>(types)) {
                RoutingConfig.Deployment deployment = new RoutingConfig.Deployment(type, type, Map.of(), List.of(),
                                                                                   PluginDeployments.FROM_ENVIRONMENT);
                started.put(type, factory.create(deployment));
                deployments.add(deployment);
            }
        } catch (RuntimeException e) {
            started.values().forEach(Backend::close);
            throw e;
        }
        List<RoutingConfig.Model> models = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        started.forEach((name, backend) -> {
            for (ModelInfo model : backend.models()) {
                if (taken.add(model.id())) {
                    models.add(model(model.id(), false, name));
                }
            }
        });
        for (String pattern : patterns) {
            String example = pattern.replace("*", "x");
            started.entrySet().stream().filter(entry -> entry.getValue().serves(example)).findFirst()
                    .ifPresent(entry -> models.add(model(pattern, true, entry.getKey())));
        }
        RoutingConfig config = new RoutingConfig(deployments, models, router, Map.of(),
                                                 PluginDeployments.FROM_ENVIRONMENT);
        return new EnvironmentRouting(config, started);
    }

    /** {@return the routing} */
    public RoutingConfig config() {
        return config;
    }

    /**
     * A factory that hands out the backends started here, once each, and starts any other deployment afresh.
     *
     * @param factory for the others
     * @return the factory
     */
    public Router.DeploymentFactory startedFirst(Router.DeploymentFactory factory) {
        Map<String, Backend> left = new LinkedHashMap<>(started);
        return deployment -> Optional.ofNullable(left.remove(deployment.name()))
                .orElseGet(() -> factory.create(deployment));
    }

    private static RoutingConfig.Model model(String name, boolean pattern, String deployment) {
        return new RoutingConfig.Model(name, pattern, RoutingConfig.Strategy.WEIGHTED,
                                       List.of(new RoutingConfig.Target(deployment, Optional.empty(), 0, 1)), List.of(),
                                       List.of(), OptionalInt.empty(), PluginDeployments.FROM_ENVIRONMENT);
    }
}
