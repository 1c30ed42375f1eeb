package io.llmgateway.host.backends;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginMetrics;
import io.llmgateway.api.TenantKeysFile;
import io.llmgateway.host.config.Environment;
import io.llmgateway.host.config.PluginSettings;
import io.llmgateway.host.config.RoutingConfig;
import io.llmgateway.host.plugins.HostPluginContext;
import io.llmgateway.host.plugins.PluginCatalog;
import io.llmgateway.host.router.Router;

/**
 * Starts a deployment's backend from the loaded plugins: finds the provider of its type, binds the deployment's own
 * settings against the provider's descriptor (from the environment for the deployments today's variables describe,
 * from its section of the file otherwise) and creates the instance with the plugin's class loader as the context
 * loader. The host knows no backend by name: the type is looked up in the catalog.
 */
public final class PluginDeployments implements Router.DeploymentFactory {

    /** The {@code where} of deployments that today's environment variables describe. */
    public static final String FROM_ENVIRONMENT = "environment";

    private final PluginCatalog catalog;
    private final Environment environment;
    private final PluginMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Optional<TenantKeysFile> keysFile;
    private final Map<String, List<String>> secrets = new HashMap<>();

    /**
     * Creates the factory.
     *
     * @param catalog     the loaded plugins
     * @param environment the process environment, for deployments configured by variables
     * @param metrics     the metrics facade; a deployment from the file gets its meters tagged with its name
     * @param scheduler   the shared scheduler
     * @param clock       the clock
     * @param keysFile    the host's keys file, if configured
     */
    public PluginDeployments(PluginCatalog catalog, Environment environment, PluginMetrics metrics,
                             ScheduledExecutorService scheduler, Clock clock, Optional<TenantKeysFile> keysFile) {
        this.catalog = catalog;
        this.environment = environment;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.clock = clock;
        this.keysFile = keysFile;
    }

    @Override
    public Backend create(RoutingConfig.Deployment deployment) {
        PluginCatalog.Provided<BackendProvider> entry = catalog.backend(deployment.type()).orElseThrow(
                () -> new PluginConfigurationException(missing(deployment)));
        BackendProvider provider = entry.provider();
        String what = FROM_ENVIRONMENT.equals(deployment.where())
                ? "backend " + deployment.type()
                : "deployment " + deployment.name() + " (" + deployment.type() + ")";
        PluginSettings settings = FROM_ENVIRONMENT.equals(deployment.where())
                ? PluginSettings.bind(what, provider.descriptor(), environment)
                : PluginSettings.bind(what, provider.descriptor(), deployment.settings(), deployment::settingName);
        List<String> found = new ArrayList<>(settings.secrets());
        found.addAll(deployment.secrets());
        synchronized (secrets) {
            secrets.put(deployment.name(), found);
        }
        PluginMetrics scoped = FROM_ENVIRONMENT.equals(deployment.where())
                ? metrics
                : new DeploymentMetrics(metrics, deployment.name());
        HostPluginContext context = new HostPluginContext(entry.plugin().name(), deployment.name(), settings.config(),
                                                          settings.settings(), scoped,
                                                          System.getLogger("io.llmgateway.plugin." + entry.plugin().name()),
                                                          scheduler, clock, keysFile);
        return withPluginLoader(what, provider.getClass().getClassLoader(), () -> provider.create(context));
    }

    /**
     * The secret values of every deployment started so far (settings declared secret, secret references).
     *
     * @return the values
     */
    public List<String> secrets() {
        synchronized (secrets) {
            return secrets.values().stream().flatMap(List::stream).toList();
        }
    }

    /**
     * Runs a plugin's start-up with the plugin's class loader as the thread's context loader: libraries a plugin
     * brings (Helidon's web client, for one) find their service providers through it, and the host's own loader
     * cannot see into a plugin's layer.
     *
     * @param what         the plugin instance, for messages
     * @param pluginLoader the plugin's loader
     * @param creation     the start-up
     * @param <T>          what it creates
     * @return what it created
     * @throws PluginConfigurationException one line: what failed to start and why
     */
    public static <T> T withPluginLoader(String what, ClassLoader pluginLoader, Supplier<T> creation) {
        Thread thread = Thread.currentThread();
        ClassLoader hostLoader = thread.getContextClassLoader();
        thread.setContextClassLoader(pluginLoader);
        try {
            return creation.get();
        } catch (PluginConfigurationException e) {
            throw new PluginConfigurationException(what + ": " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            throw new PluginConfigurationException(what + " failed to start: " + e);
        } finally {
            thread.setContextClassLoader(hostLoader);
        }
    }

    private String missing(RoutingConfig.Deployment deployment) {
        List<String> available = catalog.backendTypes();
        String from = FROM_ENVIRONMENT.equals(deployment.where()) ? "LLM_BACKEND/LLM_BACKENDS" : deployment.where();
        String choice = available.isEmpty()
                ? "available types: none (no plugin there provides a backend; check LLM_PLUGINS_DIR)."
                : "available types: " + String.join(", ", available) + ".";
        String failures = catalog.failures().isEmpty()
                ? ""
                : " Plugins that failed to load: " + String.join("; ", catalog.failures());
        return from + " asks for backend type '" + deployment.type() + "', but no loaded plugin provides it; "
                + choice + failures;
    }
}
