package io.llmgateway.host.config;

import io.llmgateway.api.PluginConfigurationException;

/**
 * The {@code LLM_CONFIG} file is refused. The message is one line that starts where the problem is and names its
 * YAML path, such as {@code gw.yaml:14:5: deployments[1].settings.base_url: ...}; it never holds a secret's value.
 * It is a {@link PluginConfigurationException} so that start-up stops with it like with any other bad setting.
 */
public final class ConfigException extends PluginConfigurationException {

    /**
     * Creates the exception.
     *
     * @param message the one line
     */
    public ConfigException(String message) {
        super(message);
    }
}
