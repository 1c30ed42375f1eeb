package io.llmgateway.host.backends;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.host.config.RoutingConfig;
import io.llmgateway.host.router.Router;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The routing today's variables describe, without a configuration file: one deployment per enabled backend type
 * (named after it, the default first), each model a backend lists served by the first that lists it, and each of
 * {@code LLM_MODEL_PATTERNS} by the first backend that takes such names. So only listed names and the patterns are
 * served and become metric labels, never whatever a client invents. A backend's list may change (an OpenAI-compatible
 * upstream's models are asked for again every few minutes), so the routing follows it.
 */
public final class EnvironmentRouting {

    private static final System.Logger LOGGER = System.getLogger(EnvironmentRouting.class.getName());

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
        List<RoutingConfig.Model> models = models(started, patterns);
        RoutingConfig config = new RoutingConfig(deployments, models, router, Map.of(),
                                                 PluginDeployments.FROM_ENVIRONMENT);
        return new EnvironmentRouting(config, started);
    }

    /**
     * The public models of the backends as they list them now: each listed name served by the first backend that
     * lists it, each pattern by the first that takes such names.
     *
     * @param backends the backends by deployment name, the default first
     * @param patterns the globs to serve besides
     * @return the models
     */
    public static List<RoutingConfig.Model> models(Map<String, Backend> backends, List<String> patterns) {
        List<RoutingConfig.Model> models = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        backends.forEach((name, backend) -> {
            for (ModelInfo model : backend.models()) {
                if (taken.add(model.id())) {
                    models.add(model(model.id(), false, name));
                }
            }
        });
        for (String pattern : patterns) {
            String example = pattern.replace("*", "x");
            backends.entrySet().stream().filter(entry -> entry.getValue().serves(example)).findFirst()
                    .ifPresent(entry -> models.add(model(pattern, true, entry.getKey())));
        }
        return models;
    }

    /**
     * Follows the backends' lists (an OpenAI-compatible upstream's models change): every {@code every}, the models
     * are listed again and, when they changed, the router reloads with the same deployments.
     *
     * @param router    the router over these deployments
     * @param patterns  the globs served besides
     * @param every     how often to look
     * @param scheduler where to look from
     */
    public static void follow(Router router, List<String> patterns, Duration every, ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                RoutingConfig current = router.state().config();
                Map<String, Backend> backends = new LinkedHashMap<>();
                router.state().deployments().forEach(deployment -> backends.put(deployment.name(), deployment.backend()));
                List<RoutingConfig.Model> models = models(backends, patterns);
                if (!models.equals(current.models())) {
                    router.reload(new RoutingConfig(current.deployments(), models, current.router(), Map.of(),
                                                    current.origin()));
                    LOGGER.log(INFO, () -> "models now served: " + models.stream().map(RoutingConfig.Model::name).toList());
                }
            } catch (RuntimeException e) {
                LOGGER.log(WARNING, "reading the backends' model lists failed", e); // a later look may succeed
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
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
