package io.llmgateway.host;

import java.util.logging.LogManager;

/**
 * Keeps logging alive during shutdown. The JDK's own shutdown hook resets the standard
 * {@link LogManager}, closing its handlers while the gateway's hook is still stopping the server and
 * the backends, so their last messages (and warnings) would be lost. {@code bin/llm-gateway} selects
 * this manager with {@code -Djava.util.logging.manager}; {@link Main} resets it once it is done.
 */
public final class GatewayLogManager extends LogManager {

    private volatile boolean shutdownDone;

    /**
     * Created by {@link LogManager} through reflection.
     */
    public GatewayLogManager() {
    }

    @Override
    public void reset() {
        // the JDK's shutdown hook calls reset() too early: ignore it until Main's hook has finished
        if (shutdownDone || !shuttingDown()) {
            super.reset();
        }
    }

    /**
     * Called by Main's shutdown hook after the last message.
     */
    void shutdownDone() {
        shutdownDone = true;
        super.reset();
    }

    /** Resets the manager in use if it is this kind, else does nothing (tests, IDE runs). */
    static void finish() {
        if (LogManager.getLogManager() instanceof GatewayLogManager manager) {
            manager.shutdownDone();
        }
    }

    private static boolean shuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
