package io.llmgateway.host;

import java.time.Duration;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A gateway's way out on SIGTERM, in the order load balancers and clients need: readiness turns 503 at
 * once while requests are still served for {@code LLM_SHUTDOWN_DELAY}, so balancers stop sending; then the
 * listener closes, idle connections close, and requests in flight get {@code LLM_SHUTDOWN_GRACE} to finish;
 * those still running are stopped and answer 503 (an error event when streaming) with a log line each; then
 * the backends close (the CLI sessions stop). A watchdog halts the process if all that itself hangs.
 */
final class Shutdown {

    private static final System.Logger LOGGER = System.getLogger(Shutdown.class.getName());
    /** For stopped calls to write their error answers and log lines. */
    private static final Duration LAST_WORDS = Duration.ofSeconds(2);
    /** Beyond the delay and the grace: closing the backends (a CLI session takes up to 6 s to stop). */
    private static final Duration HALT_MARGIN = Duration.ofSeconds(15);

    private final Listener listener;
    private final Gateway gateway;

    Shutdown(Listener listener, Gateway gateway) {
        this.listener = listener;
        this.gateway = gateway;
    }

    void run() {
        GatewayConfig config = gateway.config();
        Duration delay = config.shutdownDelay();
        Duration grace = config.shutdownGrace();
        startHaltWatchdog(delay.plus(grace).plus(LAST_WORDS).plus(HALT_MARGIN));
        listener.stopping();
        gateway.drain();
        LOGGER.log(INFO, () -> "shutting down: readiness is 503, serving for " + seconds(delay)
                + " s more (LLM_SHUTDOWN_DELAY), then up to " + seconds(grace) + " s for requests in flight");
        try {
            Thread.sleep(delay.toMillis());
            Thread stopping = Thread.ofPlatform().name("llm-gateway-server-stop").start(this::stopServer);
            gateway.connections().drain();
            if (!gateway.calls().awaitNone(grace)) {
                int left = gateway.calls().count();
                LOGGER.log(WARNING, () -> left + " request(s) still running after the shutdown grace of " + seconds(grace)
                        + " s (LLM_SHUTDOWN_GRACE); stopping them");
                gateway.calls().stopAll();
                gateway.calls().awaitNone(LAST_WORDS);
            }
            gateway.connections().awaitIdle(LAST_WORDS);
            gateway.connections().closeAll();
            stopping.join(LAST_WORDS.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gateway.close();
        LOGGER.log(INFO, "stopped");
    }

    private void stopServer() {
        try {
            listener.server().stop();
        } catch (RuntimeException e) {
            LOGGER.log(WARNING, "server did not stop cleanly", e);
        }
    }

    /** A gateway stuck anywhere in its shutdown still exits, a little after the time it was given. */
    private static void startHaltWatchdog(Duration budget) {
        Thread.ofPlatform().daemon().name("llm-gateway-halt").start(() -> {
            try {
                Thread.sleep(budget.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("llm-gateway: shutdown did not finish within " + seconds(budget) + " s; halting");
            Runtime.getRuntime().halt(1);
        });
    }

    private static String seconds(Duration duration) {
        return Double.toString(duration.toMillis() / 1000.0);
    }
}
