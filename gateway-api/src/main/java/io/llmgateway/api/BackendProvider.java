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
     * Creates the backend. Only called when the type is enabled.
     *
     * @param context configuration, metrics, logging and scheduling for the plugin
     * @return a ready backend (it may still be warming up; see {@link Backend#health()})
     * @throws PluginConfigurationException when its configuration is unusable
     */
    Backend create(PluginContext context);
}
