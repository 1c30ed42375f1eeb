package io.llmgateway.host;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.api.TenantKeysFile;
import io.llmgateway.host.backends.BackendRouter;
import io.llmgateway.host.chat.CallsInFlight;
import io.llmgateway.host.chat.MiddlewareChain;
import io.llmgateway.host.config.Environment;
import io.llmgateway.host.config.HostSettings;
import io.llmgateway.host.config.KeysFileWatcher;
import io.llmgateway.host.config.PluginSettings;
import io.llmgateway.host.config.UnclaimedSettings;
import io.llmgateway.host.connection.Connections;
import io.llmgateway.host.http.Secrets;
import io.llmgateway.host.observe.GatewayMetrics;
import io.llmgateway.host.observe.RequestLog;
import io.llmgateway.host.observe.SecretMaskingFormatter;
import io.llmgateway.host.plugins.HostPluginContext;
import io.llmgateway.host.plugins.LoadedPlugin;
import io.llmgateway.host.plugins.PluginCatalog;

import static java.lang.System.Logger.Level.INFO;

/**
 * The running gateway without its HTTP server: the enabled backends, the middleware chain, the client
 * connections the server will register, metrics and the request log, created from the configuration and
 * the loaded plugins.
 */
public final class Gateway implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Gateway.class.getName());

    private final GatewayConfig config;
    private final BackendRouter router;
    private final MiddlewareChain chain;
    private final GatewayMetrics metrics;
    private final RequestLog requestLog;
    private final Connections connections;
    private final CallsInFlight calls = new CallsInFlight();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    private Gateway(GatewayConfig config, BackendRouter router, MiddlewareChain chain, GatewayMetrics metrics,
                    RequestLog requestLog, ScheduledExecutorService scheduler, Clock clock) {
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
        // every loaded plugin's settings are checked, enabled or not: a typo stops start-up either way
        Map<Object, PluginSettings> scoped = new IdentityHashMap<>();
        List<String> secrets = new ArrayList<>(Secrets.namedInVariables(environment.variables()));
        for (LoadedPlugin plugin : catalog.plugins()) {
            for (BackendProvider provider : plugin.backends()) {
                scoped.put(provider, bind("backend " + provider.type(), provider.descriptor(), environment));
            }
            for (MiddlewareProvider provider : plugin.middleware()) {
                scoped.put(provider, bind("middleware " + provider.name(), provider.descriptor(), environment));
            }
        }
        scoped.values().forEach(settings -> secrets.addAll(settings.secrets()));
        Secrets configured = Secrets.of(secrets);
        Secrets.install(configured);
        SecretMaskingFormatter.install();
        ScheduledExecutorService scheduler = scheduler();
        AtomicReference<BackendRouter> routerRef = new AtomicReference<>();
        GatewayMetrics metrics = GatewayMetrics.create(() -> sessionsOf(routerRef.get()));
        List<BackendRouter.Enabled> enabled = new ArrayList<>();
        try {
            Optional<TenantKeysFile> keysFile = config.keysFile().map(path -> keysFile(path, scheduler, configured));
            for (String type : config.enabledBackends()) {
                PluginCatalog.Provided<BackendProvider> entry = backendProvider(type, config, catalog);
                BackendProvider provider = entry.provider();
                HostPluginContext context = context(entry.plugin(), scoped.get(provider), metrics, scheduler, clock, keysFile);
                Backend backend = create("backend " + type, provider.getClass().getClassLoader(),
                                         () -> provider.create(context));
                enabled.add(new BackendRouter.Enabled(type, backend));
            }
            List<Middleware> middleware = new ArrayList<>();
            for (PluginCatalog.Provided<MiddlewareProvider> provided : catalog.middleware()) {
                MiddlewareProvider provider = provided.provider();
                HostPluginContext context = context(provided.plugin(), scoped.get(provider), metrics, scheduler, clock,
                                                    keysFile);
                Optional<Middleware> created = create("middleware " + provider.name(), provider.getClass().getClassLoader(),
                                                      () -> provider.create(context));
                created.ifPresent(it -> {
                    middleware.add(it);
                    LOGGER.log(INFO, () -> "middleware " + provider.name() + " active (weight " + provider.weight() + ")");
                });
            }
            BackendRouter router = new BackendRouter(enabled);
            routerRef.set(router);
            for (BackendRouter.Enabled backend : enabled) {
                for (ModelInfo model : backend.backend().models()) {
                    metrics.prepare(backend.type(), model.id());
                }
            }
            return new Gateway(config, router, new MiddlewareChain(middleware), metrics,
                               new RequestLog(logSink, metrics.droppedLogLines()), scheduler, clock);
        } catch (RuntimeException e) {
            enabled.reversed().forEach(it -> it.backend().close());
            scheduler.shutdownNow();
            throw e;
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
     * The enabled backends.
     *
     * @return the router
     */
    public BackendRouter router() {
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
        router.close();
        requestLog.close();
        scheduler.shutdownNow();
        metrics.close();
    }

    private static PluginCatalog.Provided<BackendProvider> backendProvider(String type, GatewayConfig config,
                                                                          PluginCatalog catalog) {
        return catalog.backend(type)
                .orElseThrow(() -> new GatewayStartupException(missingBackend(type, config, catalog)));
    }

    private static String missingBackend(String type, GatewayConfig config, PluginCatalog catalog) {
        List<String> available = catalog.backendTypes();
        String from = type.equals(config.defaultBackend()) ? "LLM_BACKEND" : "LLM_BACKENDS";
        String choice = available.isEmpty()
                ? "available types: none (no plugin there provides a backend; check LLM_PLUGINS_DIR)."
                : "available types: " + String.join(", ", available)
                        + ". Set LLM_BACKEND to one of them or add the plugin's folder to LLM_PLUGINS_DIR.";
        String failures = catalog.failures().isEmpty()
                ? ""
                : " Plugins that failed to load: " + String.join("; ", catalog.failures());
        return from + " asks for backend type '" + type + "', but no plugin in " + config.pluginsDir()
                + " provides it; " + choice + failures;
    }

    /**
     * Runs a plugin's start-up with the plugin's class loader as the thread's context loader: libraries
     * a plugin brings (Helidon's web client, for one) find their service providers through it, and the
     * host's own loader cannot see into a plugin's layer.
     */
    private static <T> T create(String what, ClassLoader pluginLoader, Supplier<T> creation) {
        Thread thread = Thread.currentThread();
        ClassLoader hostLoader = thread.getContextClassLoader();
        thread.setContextClassLoader(pluginLoader);
        try {
            return creation.get();
        } catch (PluginConfigurationException e) {
            throw new GatewayStartupException(what + ": " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new GatewayStartupException(what + " failed to start: " + e, e);
        } finally {
            thread.setContextClassLoader(hostLoader);
        }
    }

    private static HostPluginContext context(LoadedPlugin plugin, PluginSettings settings, GatewayMetrics metrics,
                                             ScheduledExecutorService scheduler, Clock clock,
                                             Optional<TenantKeysFile> keysFile) {
        return new HostPluginContext(plugin.name(), settings.config(), settings.settings(), metrics.pluginMetrics(),
                                     System.getLogger("io.llmgateway.plugin." + plugin.name()), scheduler, clock, keysFile);
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
    private static TenantKeysFile keysFile(Path path, ScheduledExecutorService scheduler, Secrets configured) {
        KeysFileWatcher watcher;
        try {
            watcher = KeysFileWatcher.start(path, scheduler);
        } catch (PluginConfigurationException e) {
            throw new GatewayStartupException(e.getMessage(), e);
        }
        Secrets.install(configured.and(watcher.current().keys()));
        watcher.onChange(keys -> Secrets.install(configured.and(keys.keys())));
        return watcher;
    }

    private static List<SessionInfo> sessionsOf(BackendRouter router) {
        if (router == null) {
            return List.of();
        }
        return router.sessions().stream().map(BackendRouter.BackendSession::session).toList();
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
