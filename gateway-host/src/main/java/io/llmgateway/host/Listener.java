package io.llmgateway.host;

import java.time.Duration;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.webserver.WebServer;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;

/**
 * The gateway's HTTP listener, kept listening. Helidon's ends for good when accepting a connection fails
 * (out of file descriptors, say: the connection cap keeps the gateway's own connections from getting there,
 * but something else in the process or a lowered limit still can); it says so in a log line and the port
 * closes while the process lives on. On that line, a new server is started on the same port after a
 * pause, retried with a growing pause until it listens; connections of the old one finish as its shutdown
 * allows.
 */
final class Listener {

    private static final System.Logger LOGGER = System.getLogger(Listener.class.getName());
    /** What Helidon's ServerListener logs when its accept loop gives up (4.5). */
    private static final String TERMINATING = "this server socket is terminating now";
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final Gateway gateway;
    private final Logger helidonListener = Logger.getLogger("io.helidon.webserver.ServerListener");
    private final Handler watch = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() && message != null
                    && message.contains(TERMINATING)) {
                revive();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private volatile WebServer server;
    private volatile boolean stopping;
    private boolean reviving;

    private Listener(Gateway gateway, WebServer server) {
        this.gateway = gateway;
        this.server = server;
        helidonListener.addHandler(watch);
    }

    /**
     * Starts listening.
     *
     * @param gateway the gateway to serve
     * @return the listener
     */
    static Listener start(Gateway gateway) {
        return new Listener(gateway, GatewayServer.create(gateway).start());
    }

    /** {@return the server listening now} */
    WebServer server() {
        return server;
    }

    /** A shutdown is stopping the server: its end is no failure. */
    void stopping() {
        stopping = true;
        helidonListener.removeHandler(watch);
    }

    private synchronized void revive() {
        if (stopping || reviving) {
            return;
        }
        reviving = true;
        WebServer dead = server;
        Thread.ofPlatform().daemon().name("llm-gateway-listener-revival").start(() -> revive(dead));
    }

    private void revive(WebServer dead) {
        int port = dead.port();
        Duration pause = FIRST_PAUSE;
        while (!stopping) {
            LOGGER.log(ERROR, "the listener on port " + port + " stopped accepting connections; starting it again in "
                    + pause.toMillis() / 1000.0 + " s");
            try {
                Thread.sleep(pause.toMillis());
                server = GatewayServer.configure(WebServer.builder(), gateway).port(port).build().start();
                LOGGER.log(INFO, "listening again on port " + port);
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
        synchronized (this) {
            reviving = false;
        }
        // the old server's other listener state and its draining connections are Helidon's to end
        Thread.ofPlatform().daemon().name("llm-gateway-dead-listener-stop").start(() -> {
            try {
                dead.stop();
            } catch (RuntimeException e) {
                // it was half stopped already
            }
        });
    }
}
