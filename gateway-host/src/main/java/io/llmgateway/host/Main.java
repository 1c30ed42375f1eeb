package io.llmgateway.host;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.LogManager;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.host.backends.BackendRouter;
import io.llmgateway.host.plugins.PluginCatalog;
import io.llmgateway.host.plugins.PluginLoader;

import static java.lang.System.Logger.Level.INFO;

/**
 * Starts the gateway: configuration from the environment, plugins from {@code LLM_PLUGINS_DIR}, the
 * HTTP server on {@code LLM_PORT}. On SIGTERM it drains (see {@link Shutdown}), then closes the backends
 * (so no child process outlives it). A configuration error stops it with one
 * line on stderr and exit status 2.
 */
public final class Main {

    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());
    private static final int CONFIGURATION_ERROR = 2;

    private Main() {
    }

    /**
     * Runs the gateway.
     *
     * @param args ignored; configuration comes from the environment
     */
    public static void main(String[] args) {
        configureLogging();
        PluginConfig environment = key -> Optional.ofNullable(System.getenv(key)).filter(value -> !value.isBlank());
        Gateway gateway;
        Listener listener;
        try {
            GatewayConfig config = GatewayConfig.from(environment);
            PluginCatalog catalog = PluginLoader.load(config.pluginsDir());
            gateway = Gateway.start(config, catalog, new FileOutputStream(FileDescriptor.out), Clock.systemUTC());
            listener = start(gateway);
        } catch (GatewayStartupException | PluginConfigurationException e) {
            System.err.println("llm-gateway: " + e.getMessage());
            System.exit(CONFIGURATION_ERROR);
            return;
        }
        Gateway running = gateway;
        Listener listening = listener;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(listening, running), "llm-gateway-shutdown"));
        BackendRouter router = gateway.router();
        LOGGER.log(INFO, () -> "llm-gateway listening on http://" + gateway.config().host() + ":" + listening.server().port()
                + "/v1 (default backend " + router.defaultBackend().type() + ", enabled "
                + router.all().stream().map(BackendRouter.Enabled::type).toList() + ")");
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
