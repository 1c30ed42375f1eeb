package io.llmgateway.api;

/**
 * A plugin's configuration is unusable; the message names the key and says what is expected. The
 * host stops at start-up with this message.
 */
public class PluginConfigurationException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to fix it
     */
    public PluginConfigurationException(String message) {
        super(message);
    }
}
