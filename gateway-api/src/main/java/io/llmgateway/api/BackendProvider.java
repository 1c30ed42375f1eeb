package io.llmgateway.api;

/**
 * Creates a {@link Backend}; found through {@link java.util.ServiceLoader}.
 */
public interface BackendProvider {

    /**
     * The type selected by {@code LLM_BACKEND} / {@code LLM_BACKENDS}, such as {@code mock} or {@code cli}.
     *
     * @return the backend type, lower case
     */
    String type();

    /**
     * What the plugin declares: its name (the {@link #type()}), the SPI version it was built against and its
     * settings. A provider that does not override this declares nothing, and the host refuses it.
     *
     * @return the descriptor
     */
    default PluginDescriptor descriptor() {
        return PluginDescriptor.undeclared(PluginKind.BACKEND, type());
    }

    /**
     * Creates the backend. Only called when the type is enabled.
     *
     * @param context this instance's settings, metrics, logging and scheduling
     * @return a ready backend (it may still be warming up; see {@link Backend#health()})
     * @throws PluginConfigurationException when its configuration is unusable
     */
    Backend create(PluginContext context);
}
