package io.llmgateway.host;

/**
 * The gateway cannot start; the message says why and what to do, in one line.
 */
public class GatewayStartupException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to fix it
     */
    public GatewayStartupException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to fix it
     * @param cause   the underlying failure
     */
    public GatewayStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
