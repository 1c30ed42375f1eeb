package io.llmgateway.api;

import java.util.Optional;

/**
 * Creates a {@link Middleware}; found through {@link java.util.ServiceLoader}.
 */
public interface MiddlewareProvider {

    /**
     * Name used in logs and errors, such as {@code auth} or {@code cache}.
     *
     * @return the middleware name
     */
    String name();

    /**
     * Position in the chain: a higher weight runs earlier (further from the backend).
     *
     * @return the weight
     */
    int weight();

    /**
     * What the plugin declares: its name (the {@link #name()}), the SPI version it was built against and its
     * settings. A provider that does not override this declares nothing, and the host refuses it.
     *
     * @return the descriptor
     */
    default PluginDescriptor descriptor() {
        return PluginDescriptor.undeclared(PluginKind.MIDDLEWARE, name());
    }

    /**
     * Creates the middleware if it is configured.
     *
     * @param context configuration, metrics, logging and scheduling for the plugin
     * @return the middleware, or empty when its configuration leaves it off
     * @throws PluginConfigurationException when its configuration is unusable
     */
    Optional<Middleware> create(PluginContext context);
}
