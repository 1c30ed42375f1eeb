package io.llmgateway.host;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogManager;

import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.host.router.Deployment;
import io.llmgateway.host.router.RouterState;
import io.llmgateway.host.config.Environment;
import io.llmgateway.host.config.HelpConfig;
import io.llmgateway.host.config.HostSettings;
import io.llmgateway.host.http.Secrets;
import io.llmgateway.host.plugins.LoadedPlugin;
import io.llmgateway.host.plugins.PluginCatalog;
import io.llmgateway.host.plugins.PluginLoader;

import static java.lang.System.Logger.Level.INFO;

/**
 * Starts the gateway: configuration from the environment, plugins from {@code LLM_PLUGINS_DIR}, the
 * HTTP server on {@code LLM_PORT}. On SIGTERM it drains (see {@link Shutdown}), then closes the backends
 * (so no child process outlives it). A configuration error stops it with one
 * line on stderr (secrets masked) and exit status 2. {@code --help-config} prints every setting instead.
 */
public final class Main {

    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());
    private static final int CONFIGURATION_ERROR = 2;
    private static final String HELP_CONFIG = "--help-config";

    private Main() {
    }

    /**
     * Runs the gateway, or with {@code --help-config} prints every setting of the host and the loaded plugins.
     *
     * @param args nothing, or {@code --help-config}; configuration comes from the environment
     */
    public static void main(String[] args) {
        configureLogging();
        Environment environment = Environment.system();
        if (args.length > 0) {
            if (args.length == 1 && args[0].equals(HELP_CONFIG)) {
                System.out.print(helpConfig(environment));
                System.out.flush();
                return;
            }
            System.err.println("llm-gateway: unknown argument '" + String.join(" ", args) + "'; the only one is "
                                       + HELP_CONFIG + ", which lists the settings (they are environment variables)");
            System.exit(CONFIGURATION_ERROR);
            return;
        }
        Gateway gateway;
        Listener listener;
        try {
            GatewayConfig config = GatewayConfig.from(environment);
            PluginCatalog catalog = PluginLoader.load(config.pluginsDir());
            gateway = Gateway.start(config, catalog, new FileOutputStream(FileDescriptor.out), Clock.systemUTC());
            listener = start(gateway);
        } catch (GatewayStartupException | PluginConfigurationException e) {
            System.err.println("llm-gateway: " + Secrets.installed().scrub(e.getMessage()));
            System.exit(CONFIGURATION_ERROR);
            return;
        }
        Gateway running = gateway;
        Listener listening = listener;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(listening, running), "llm-gateway-shutdown"));
        RouterState routing = gateway.router().state();
        LOGGER.log(INFO, () -> "llm-gateway listening on http://" + gateway.config().host() + ":" + listening.server().port()
                + "/v1 (default backend " + routing.deployments().getFirst().type() + ", enabled "
                + routing.deployments().stream().map(Deployment::name).toList() + "; config "
                + routing.config().origin() + ")");
    }

    /** The host's settings and those of every plugin under {@code LLM_PLUGINS_DIR}; nothing is validated. */
    static String helpConfig(Environment environment) {
        Path pluginsDir = environment.value("LLM_PLUGINS_DIR").map(Path::of).orElse(Path.of("plugins"))
                .toAbsolutePath().normalize();
        PluginCatalog catalog = PluginLoader.load(pluginsDir);
        List<HelpConfig.Section> sections = new ArrayList<>();
        sections.add(new HelpConfig.Section("host", "the gateway itself", HostSettings.ALL));
        for (LoadedPlugin plugin : catalog.plugins()) {
            for (BackendProvider provider : plugin.backends()) {
                sections.add(section(plugin, provider.descriptor()));
            }
            for (MiddlewareProvider provider : plugin.middleware()) {
                sections.add(section(plugin, provider.descriptor()));
            }
        }
        List<String> notes = catalog.failures().stream().map(failure -> "not listed: " + failure).toList();
        return HelpConfig.render("llm-gateway settings, set as environment variables (SPI " + SpiVersion.current()
                                         + ", plugins from " + pluginsDir + "); secret values are never shown",
                                 sections, notes);
    }

    private static HelpConfig.Section section(LoadedPlugin plugin, PluginDescriptor descriptor) {
        return new HelpConfig.Section(descriptor.kind().label() + " " + descriptor.name() + " (plugin " + plugin.name()
                                              + " " + plugin.version() + ", SPI " + descriptor.spiVersion() + ")",
                                      descriptor.description(), descriptor.settings());
    }

    private static Listener start(Gateway gateway) {
        try {
            return Listener.start(gateway);
        } catch (UncheckedIOException | IllegalStateException e) {
            gateway.close();
            throw new GatewayStartupException("cannot listen on " + gateway.config().host() + ":"
                                                      + gateway.config().port() + " (" + rootMessage(e)
                                                      + "); set LLM_PORT to a free port", e);
        }
    }

    private static void stop(Listener listener, Gateway gateway) {
        new Shutdown(listener, gateway).run();
        GatewayLogManager.finish();
    }

    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream config = Main.class.getResourceAsStream("/logging.properties")) {
            if (config != null) {
                LogManager.getLogManager().readConfiguration(config);
            }
        } catch (IOException e) {
            System.err.println("llm-gateway: default logging configuration unreadable: " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
