package io.llmgateway.host.router;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

import io.llmgateway.api.Backend;
import io.llmgateway.host.config.RoutingConfig;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Holds the routing state and swaps it on a reload. Deployments whose configuration is unchanged are carried
 * over (their breakers, latency estimates and warm sessions with them); new ones are started before the swap; the
 * ones a reload removed or changed are closed once no request that started before the swap still holds them.
 */
public final class Router implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Router.class.getName());

    private final DeploymentFactory factory;
    private final Parts parts;
    private final RandomGenerator random;
    private final AtomicReference<Held> current = new AtomicReference<>();

    /**
     * Starts every deployment of a configuration.
     *
     * @param config  the configuration
     * @param factory starts a deployment's backend
     * @param clock   the time, for breakers and retries
     * @param random  the chance, for balancing, jitter and backoff
     * @param metrics the router's meters
     * @throws RuntimeException what the factory threw; deployments started before are closed again
     */
    public Router(RoutingConfig config, DeploymentFactory factory, Clock clock, RandomGenerator random,
                  RouterMetrics metrics) {
        this.factory = factory;
        this.random = random;
        this.parts = new Parts(clock, new Backoff(random::nextDouble), metrics);
        current.set(new Held(build(config, Map.of())));
    }

    /**
     * Routes one request; the call holds the current state until it is closed.
     *
     * @param model the model the client asked for
     * @return the call, to be closed when the request ends
     */
    public RoutedCall call(String model) {
        while (true) {
            Held held = current.get();
            if (held.acquire()) {
                return new RoutedCall(held.state, model, parts, held::release);
            }
        }
    }

    /** {@return the state new requests get now} */
    public RouterState state() {
        return current.get().state;
    }

    /**
     * Switches to a new configuration; requests already running finish on the old one.
     *
     * @param config the new configuration
     * @throws RuntimeException when a new deployment fails to start; the old state stays and nothing new is left
     *                          running
     */
    public synchronized void reload(RoutingConfig config) {
        Held old = current.get();
        RouterState next = build(config, byName(old.state));
        List<Deployment> gone = new ArrayList<>(old.state.deployments());
        gone.removeIf(deployment -> next.deployments().contains(deployment));
        current.set(new Held(next));
        old.retire(gone);
    }

    @Override
    public synchronized void close() {
        closeAll(state().deployments());
    }

    private RouterState build(RoutingConfig config, Map<String, Deployment> previous) {
        Map<String, Deployment> deployments = new LinkedHashMap<>();
        List<Deployment> started = new ArrayList<>();
        try {
            for (RoutingConfig.Deployment wanted : config.deployments()) {
                Deployment kept = previous.get(wanted.name());
                if (kept != null && kept.sameAs(wanted)) {
                    deployments.put(wanted.name(), kept);
                    continue;
                }
                Breaker.Settings breakers = breakerSettings(config.router());
                Deployment deployment = new Deployment(wanted, factory.create(wanted),
                                                       () -> new Breaker(breakers, parts.clock(), random::nextDouble));
                started.add(deployment);
                deployments.put(wanted.name(), deployment);
            }
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
        List<PublicModel> models = config.models().stream().map(model -> publicModel(model, deployments)).toList();
        RouterState state = new RouterState(config, deployments, models);
        deployments.keySet().forEach(name -> parts.metrics().watch(name, this::currentDeployment));
        return state;
    }

    private PublicModel publicModel(RoutingConfig.Model model, Map<String, Deployment> deployments) {
        Map<Integer, List<Route>> tiers = new TreeMap<>(Comparator.naturalOrder());
        for (RoutingConfig.Target target : model.targets()) {
            Deployment deployment = deployments.get(target.deployment());
            if (deployment == null) {
                throw new IllegalArgumentException(model.where() + ": model " + model.name()
                                                           + " names no configured deployment " + target.deployment());
            }
            String sent = target.upstreamModel().orElse(model.name());
            tiers.computeIfAbsent(target.priority(), unused -> new ArrayList<>())
                    .add(new Route(deployment, target.upstreamModel(), target.weight(), deployment.breaker(sent),
                                   model.pattern() && target.upstreamModel().isEmpty()));
            parts.metrics().watch(deployment.name(), sent, this::currentDeployment);
        }
        Balancer balancer = switch (model.strategy()) {
            case WEIGHTED -> Balancer.weighted(random);
            case LEAST_IN_FLIGHT -> Balancer.leastInFlight(random);
            case LATENCY -> Balancer.latency(random);
        };
        return new PublicModel(model.name(), model.pattern(), balancer, List.copyOf(tiers.values()), model.fallbacks(),
                               model.contextWindowFallbacks(), model.contextWindow());
    }

    private Deployment currentDeployment(String name) {
        return byName(state()).get(name);
    }

    private static Map<String, Deployment> byName(RouterState state) {
        Map<String, Deployment> byName = new LinkedHashMap<>();
        state.deployments().forEach(deployment -> byName.put(deployment.name(), deployment));
        return byName;
    }

    private static Breaker.Settings breakerSettings(RoutingConfig.Router router) {
        return new Breaker.Settings(Math.max(1, router.failures()), router.window(), router.cooldown(), router.maxCooldown());
    }

    private static void closeAll(List<Deployment> deployments) {
        for (Deployment deployment : deployments.reversed()) {
            try {
                deployment.backend().close();
            } catch (RuntimeException e) {
                LOGGER.log(WARNING, "deployment " + deployment.name() + " failed to close cleanly", e);
            }
        }
    }

    /**
     * Starts a deployment's backend instance.
     */
    @FunctionalInterface
    public interface DeploymentFactory {
        /**
         * Starts one.
         *
         * @param deployment its configuration
         * @return the running backend
         */
        Backend create(RoutingConfig.Deployment deployment);
    }

    /** What every call of this router shares. */
    record Parts(Clock clock, Backoff backoff, RouterMetrics metrics) {
    }

    /** A state and the requests holding it; once retired, what it alone held is closed when the last one ends. */
    private static final class Held {
        private final RouterState state;
        private int users;
        private boolean retired;
        private List<Deployment> gone = List.of();

        Held(RouterState state) {
            this.state = state;
        }

        synchronized boolean acquire() {
            if (retired) {
                return false;
            }
            users++;
            return true;
        }

        void release() {
            List<Deployment> toClose;
            synchronized (this) {
                users--;
                if (users > 0 || !retired || gone.isEmpty()) {
                    return;
                }
                toClose = gone;
                gone = List.of();
            }
            closeAll(toClose);
        }

        void retire(List<Deployment> deployments) {
            List<Deployment> toClose;
            synchronized (this) {
                retired = true;
                gone = List.copyOf(deployments);
                if (users > 0 || gone.isEmpty()) {
                    return;
                }
                toClose = gone;
                gone = List.of();
            }
            closeAll(toClose);
        }
    }
}
