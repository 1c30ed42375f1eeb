package io.llmgateway.host;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.api.TenantKeysFile;
import io.llmgateway.host.backends.EnvironmentRouting;
import io.llmgateway.host.backends.PluginDeployments;
import io.llmgateway.host.chat.CallsInFlight;
import io.llmgateway.host.chat.MiddlewareChain;
import io.llmgateway.host.config.ConfigReloader;
import io.llmgateway.host.config.Environment;
import io.llmgateway.host.config.HostSettings;
import io.llmgateway.host.config.KeysFileWatcher;
import io.llmgateway.host.config.PluginSettings;
import io.llmgateway.host.config.RoutingConfig;
import io.llmgateway.host.config.UnclaimedSettings;
import io.llmgateway.host.connection.Connections;
import io.llmgateway.host.http.Secrets;
import io.llmgateway.host.observe.GatewayMetrics;
import io.llmgateway.host.observe.RequestLog;
import io.llmgateway.host.observe.SecretMaskingFormatter;
import io.llmgateway.host.plugins.HostPluginContext;
import io.llmgateway.host.plugins.LoadedPlugin;
import io.llmgateway.host.plugins.PluginCatalog;
import io.llmgateway.host.router.Router;
import io.llmgateway.host.router.RouterMetrics;
import io.llmgateway.host.router.RouterState;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The running gateway without its HTTP server: the enabled backends, the middleware chain, the client
 * connections the server will register, metrics and the request log, created from the configuration and
 * the loaded plugins.
 */
public final class Gateway implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Gateway.class.getName());
    /** How often the backends' model lists are read again without a configuration file. */
    private static final Duration MODEL_LISTS = Duration.ofSeconds(30);

    private final GatewayConfig config;
    private final Router router;
    private final MiddlewareChain chain;
    private final GatewayMetrics metrics;
    private final RequestLog requestLog;
    private final Connections connections;
    private final CallsInFlight calls = new CallsInFlight();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Optional<ConfigReloader> reloader;

    private Gateway(GatewayConfig config, Router router, MiddlewareChain chain, GatewayMetrics metrics,
                    RequestLog requestLog, ScheduledExecutorService scheduler, Clock clock,
                    Optional<ConfigReloader> reloader) {
        this.reloader = reloader;
        this.config = config;
        this.router = router;
        this.chain = chain;
        this.metrics = metrics;
        this.requestLog = requestLog;
        this.connections = new Connections(config.connections(), metrics.pluginMetrics(), scheduler);
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Creates the enabled backends and the configured middleware.
     *
     * @param config  the configuration
     * @param catalog the loaded plugins
     * @param logSink where request log lines go
     * @param clock   the clock
     * @return the gateway
     * @throws GatewayStartupException when a backend is missing, an {@code LLM_*} variable is read by nobody, or a
     *                                 plugin's configuration is unusable
     */
    public static Gateway start(GatewayConfig config, PluginCatalog catalog, OutputStream logSink, Clock clock) {
        Environment environment = config.environment();
        UnclaimedSettings.problem(environment, claimed(catalog), catalog.failures(), config.pluginsDir())
                .ifPresent(problem -> {
                    throw new GatewayStartupException(problem);
                });
        Optional<ConfigReloader.Loaded> file = config.configFile().map(path -> loadFile(path, environment));
        boolean backendsNamed = environment.value("LLM_BACKEND").isPresent() || environment.value("LLM_BACKENDS").isPresent();
        if (file.isPresent() && backendsNamed) {
            LOGGER.log(WARNING, "LLM_CONFIG is set, so LLM_BACKEND and LLM_BACKENDS are not used: the file names the"
                    + " deployments");
        }
        // every loaded plugin's settings are checked, enabled or not: a typo stops start-up either way
        Map<Object, PluginSettings> scoped = new IdentityHashMap<>();
        List<String> secrets = new ArrayList<>(Secrets.namedInVariables(environment.variables()));
        file.ifPresent(loaded -> secrets.addAll(loaded.config().secrets()));
        for (LoadedPlugin plugin : catalog.plugins()) {
            for (BackendProvider provider : plugin.backends()) {
                scoped.put(provider, bind("backend " + provider.type(), provider.descriptor(), environment));
            }
            for (MiddlewareProvider provider : plugin.middleware()) {
                scoped.put(provider, middlewareSettings(provider, environment, file.map(ConfigReloader.Loaded::config)));
            }
        }
        file.ifPresent(loaded -> unknownMiddleware(loaded.config(), catalog));
        scoped.values().forEach(settings -> secrets.addAll(settings.secrets()));
        Secrets configured = Secrets.of(secrets);
        Secrets.install(configured);
        SecretMaskingFormatter.install();
        ScheduledExecutorService scheduler = scheduler();
        AtomicReference<Router> routerRef = new AtomicReference<>();
        GatewayMetrics metrics = GatewayMetrics.create(() -> sessionsOf(routerRef.get()));
        Router router = null;
        try {
            AtomicReference<Secrets> base = new AtomicReference<>(configured);
            AtomicReference<List<String>> keys = new AtomicReference<>(List.of());
            Runnable installSecrets = () -> Secrets.install(base.get().and(keys.get()));
            Optional<TenantKeysFile> keysFile = config.keysFile().map(path -> keysFile(path, scheduler, keys, installSecrets));
            PluginDeployments deployments = new PluginDeployments(catalog, environment, metrics.pluginMetrics(), scheduler,
                                                                  clock, keysFile);
            router = startRouter(config, file, deployments, metrics, clock);
            routerRef.set(router);
            base.set(configured.and(deployments.secrets()));
            installSecrets.run();
            List<Middleware> middleware = new ArrayList<>();
            for (PluginCatalog.Provided<MiddlewareProvider> provided : catalog.middleware()) {
                MiddlewareProvider provider = provided.provider();
                PluginSettings settings = scoped.get(provider);
                HostPluginContext context = new HostPluginContext(
                        provided.plugin().name(), provided.plugin().name(), settings.config(), settings.settings(),
                        metrics.pluginMetrics(), System.getLogger("io.llmgateway.plugin." + provided.plugin().name()),
                        scheduler, clock, keysFile);
                Optional<Middleware> created = startPlugin("middleware " + provider.name(),
                                                           provider.getClass().getClassLoader(),
                                                           () -> provider.create(context));
                created.ifPresent(it -> {
                    middleware.add(it);
                    LOGGER.log(INFO, () -> "middleware " + provider.name() + " active (weight " + provider.weight() + ")");
                });
            }
            RouterState state = router.state();
            for (RoutingConfig.Model model : state.config().models()) {
                state.config().deployment(model.targets().getFirst().deployment())
                        .ifPresent(deployment -> metrics.prepare(deployment.type(), model.name()));
            }
            Router routing = router;
            if (file.isEmpty()) {
                EnvironmentRouting.follow(router, config.modelPatterns(), MODEL_LISTS, scheduler);
            }
            Optional<ConfigReloader> reloader = file.map(loaded -> ConfigReloader.start(
                    config.configFile().orElseThrow(), loaded, config.configPoll(), scheduler, environment, next -> {
                        routing.reload(next);
                        base.set(configured.and(deployments.secrets()).and(next.secrets()));
                        installSecrets.run();
                    }, metrics.pluginMetrics()));
            return new Gateway(config, router, new MiddlewareChain(middleware), metrics,
                               new RequestLog(logSink, metrics.droppedLogLines()), scheduler, clock, reloader);
        } catch (RuntimeException e) {
            if (router != null) {
                router.close();
            }
            scheduler.shutdownNow();
            throw e;
        }
    }

    /** The router over the file's deployments or, without one, over those today's variables describe. */
    private static Router startRouter(GatewayConfig config, Optional<ConfigReloader.Loaded> file,
                                      PluginDeployments deployments, GatewayMetrics metrics, Clock clock) {
        RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        RouterMetrics routerMetrics = new RouterMetrics(metrics.pluginMetrics());
        try {
            if (file.isPresent()) {
                return new Router(file.get().config(), deployments, clock, random, routerMetrics);
            }
            EnvironmentRouting routing = EnvironmentRouting.start(config.enabledBackends(), config.modelPatterns(),
                                                                  config.router(), deployments);
            return new Router(routing.config(), routing.startedFirst(deployments), clock, random, routerMetrics);
        } catch (PluginConfigurationException e) {
            throw new GatewayStartupException(e.getMessage(), e);
        }
    }

    private static ConfigReloader.Loaded loadFile(Path path, Environment environment) {
        try {
            return ConfigReloader.load(path, environment);
        } catch (PluginConfigurationException e) {
            throw new GatewayStartupException(e.getMessage(), e);
        }
    }

    /** A middleware's settings: its section of the file when the file has one, else the environment. */
    private static PluginSettings middlewareSettings(MiddlewareProvider provider, Environment environment,
                                                     Optional<RoutingConfig> file) {
        String what = "middleware " + provider.name();
        Optional<Map<String, String>> section = file.map(RoutingConfig::middleware).map(all -> all.get(provider.name()));
        if (section.isEmpty()) {
            return bind(what, provider.descriptor(), environment);
        }
        try {
            return PluginSettings.bind(what, provider.descriptor(), section.get(),
                                       key -> file.get().middlewareSettingName(provider.name(), key));
        } catch (PluginConfigurationException e) {
            throw new GatewayStartupException(e.getMessage(), e);
        }
    }

    private static void unknownMiddleware(RoutingConfig file, PluginCatalog catalog) {
        List<String> loaded = catalog.middleware().stream().map(provided -> provided.provider().name()).toList();
        for (String name : file.middleware().keySet()) {
            if (!loaded.contains(name)) {
                throw new GatewayStartupException(file.origin() + ": middleware." + name + " configures a middleware no"
                                                          + " loaded plugin provides; loaded: " + String.join(", ", loaded));
            }
        }
    }

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public GatewayConfig config() {
        return config;
    }

    /**
     * The router over the deployments.
     *
     * @return the router
     */
    public Router router() {
        return router;
    }

    /**
     * The middleware chain.
     *
     * @return the chain
     */
    public MiddlewareChain chain() {
        return chain;
    }

    /**
     * The metrics.
     *
     * @return the metrics
     */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * The request log.
     *
     * @return the log
     */
    public RequestLog requestLog() {
        return requestLog;
    }

    /**
     * The client connections.
     *
     * @return the connections
     */
    public Connections connections() {
        return connections;
    }

    /**
     * The chat calls running now.
     *
     * @return the calls
     */
    public CallsInFlight calls() {
        return calls;
    }

    /**
     * Whether a shutdown has begun.
     *
     * @return true while draining
     */
    public boolean draining() {
        return draining.get();
    }

    /**
     * Begins a shutdown: readiness answers 503 from now on.
     */
    public void drain() {
        draining.set(true);
    }

    /**
     * The clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        reloader.ifPresent(ConfigReloader::close);
        router.close();
        requestLog.close();
        scheduler.shutdownNow();
        metrics.close();
    }

    /** The variables the host and every loaded plugin read. */
    private static Set<String> claimed(PluginCatalog catalog) {
        Set<String> claimed = new HashSet<>();
        HostSettings.ALL.forEach(setting -> setting.env().ifPresent(claimed::add));
        for (LoadedPlugin plugin : catalog.plugins()) {
            plugin.backends().forEach(provider -> claimed.addAll(PluginSettings.variables(provider.descriptor())));
            plugin.middleware().forEach(provider -> claimed.addAll(PluginSettings.variables(provider.descriptor())));
        }
        return claimed;
    }

    private static PluginSettings bind(String what, PluginDescriptor descriptor, Environment environment) {
        try {
            return PluginSettings.bind(what, descriptor, environment);
        } catch (PluginConfigurationException e) {
            throw new GatewayStartupException(e.getMessage(), e);
        }
    }

    /** Reads the keys file once for every plugin; its keys are secrets too, also after each reread. */
    private static TenantKeysFile keysFile(Path path, ScheduledExecutorService scheduler, AtomicReference<List<String>> keys,
                                           Runnable installSecrets) {
        KeysFileWatcher watcher;
        try {
            watcher = KeysFileWatcher.start(path, scheduler);
        } catch (PluginConfigurationException e) {
            throw new GatewayStartupException(e.getMessage(), e);
        }
        keys.set(List.copyOf(watcher.current().keys()));
        installSecrets.run();
        watcher.onChange(changed -> {
            keys.set(List.copyOf(changed.keys()));
            installSecrets.run();
        });
        return watcher;
    }

    private static List<SessionInfo> sessionsOf(Router router) {
        if (router == null) {
            return List.of();
        }
        return router.state().deployments().stream().flatMap(deployment -> deployment.backend().sessions().stream())
                .toList();
    }

    private static <T> T startPlugin(String what, ClassLoader loader, Supplier<T> creation) {
        try {
            return PluginDeployments.withPluginLoader(what, loader, creation);
        } catch (PluginConfigurationException e) {
            throw new GatewayStartupException(e.getMessage(), e);
        }
    }

    private static ScheduledExecutorService scheduler() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "llm-gateway-scheduler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setKeepAliveTime(1, TimeUnit.MINUTES);
        return executor;
    }
}
