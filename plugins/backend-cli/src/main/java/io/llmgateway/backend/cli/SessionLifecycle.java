package io.llmgateway.backend.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import static java.lang.System.Logger.Level.ERROR;

/**
 * The pool's own work on its sessions' processes, each piece on a virtual thread of its own and never under
 * the pool's lock: starting one (up to its answer to {@code initialize}), a keep-alive ping, a background
 * {@code /clear}, retiring, killing, and stopping them all at shutdown. How each ends goes back to the pool
 * through a {@link Listener}.
 */
final class SessionLifecycle {

    /** How long each step of stopping a process (close stdin, SIGTERM, SIGKILL) waits. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** How long a keep-alive ping may take. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    private final CliLauncher launcher;
    private final CliSettings settings;
    private final PoolMetrics metrics;
    private final System.Logger log;
    private final Listener listener;

    SessionLifecycle(CliLauncher launcher, CliSettings settings, PoolMetrics metrics, System.Logger log,
                     Listener listener) {
        this.launcher = launcher;
        this.log = log;
        this.settings = settings;
        this.metrics = metrics;
        this.listener = listener;
    }

    /** Spawns the session's process and waits until it is warm, or fails. */
    void start(CliSession session) {
        Thread.ofVirtual().name(session.id() + "-start").start(() -> bringUp(session));
    }

    /** Pings an idle session the pool marked busy with its own work. */
    void ping(CliSession session) {
        Thread.ofVirtual().name(session.id() + "-ping").start(() -> {
            boolean answered;
            try {
                answered = session.ping(PING_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answered = false;
            }
            listener.choreDone(session, answered, "it did not answer a keep-alive ping within "
                    + PING_TIMEOUT.toSeconds() + " s");
        });
    }

    /** Resets the context of an idle session the pool marked busy with its own work. */
    void reset(CliSession session) {
        Thread.ofVirtual().name(session.id() + "-clear").start(() -> {
            boolean cleared;
            try {
                cleared = session.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cleared = false;
            }
            listener.choreDone(session, cleared, "it did not come back from /clear");
        });
    }

    /** Gives up on the turn of a session whose tool results did not come: interrupts it and resets the context. */
    void abandonTurn(CliSession session) {
        Thread.ofVirtual().name(session.id() + "-abandon").start(() -> {
            boolean reset;
            try {
                reset = session.abandonTurn();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reset = false;
            }
            listener.choreDone(session, reset, "it did not come back from an interrupt and /clear after its tool"
                    + " results timed out");
        });
    }

    /** Kills a failed session's process at once and removes its files. */
    void kill(CliSession session) {
        Thread.ofVirtual().name(session.id() + "-kill").start(() -> {
            session.kill();
            launcher.cleanUp(session.id());
        });
    }

    /** Stops an unneeded session's process gently, removes its files, then tells the pool it is gone. */
    void retire(CliSession session) {
        Thread.ofVirtual().name(session.id() + "-retire").start(() -> {
            session.stop(STOP_GRACE);
            launcher.cleanUp(session.id());
            listener.retired(session);
        });
    }

    /** Stops a session that came up after the pool closed. */
    void stop(CliSession session) {
        Thread.ofVirtual().name(session.id() + "-stop").start(() -> {
            session.stop(STOP_GRACE);
            launcher.cleanUp(session.id());
        });
    }

    /** Stops every process in parallel and waits for them (shutdown); removes every file the launcher made. */
    void stopAll(Collection<CliSession> sessions) {
        List<Thread> stopping = sessions.stream()
                .map(session -> Thread.ofVirtual().name(session.id() + "-stop").start(() -> session.stop(STOP_GRACE)))
                .toList();
        for (Thread thread : stopping) {
            try {
                thread.join(STOP_GRACE.multipliedBy(4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sessions.forEach(CliSession::kill);
                break;
            }
        }
        sessions.forEach(session -> launcher.cleanUp(session.id()));
        launcher.cleanUpAll();
    }

    private void bringUp(CliSession session) {
        long started = System.nanoTime();
        try {
            session.start(launcher, settings.startTimeout());
        } catch (IOException e) {
            startFailed(session, CliErrors.whyNotStarted(e));
            return;
        } catch (RuntimeException e) {
            log.log(ERROR, "session " + session.id() + ": failed to start", e);
            startFailed(session, CliErrors.whyNotStarted(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            startFailed(session, "interrupted while starting");
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        metrics.spawned(seconds);
        session.process().ifPresent(process -> process.onExit(() -> listener.exited(session)));
        listener.warm(session, seconds);
    }

    private void startFailed(CliSession session, String why) {
        session.kill();
        metrics.spawnFailure();
        listener.startFailed(session, why);
        launcher.cleanUp(session.id());
    }

    /** How the pool hears about its sessions; called on the lifecycle's threads. */
    interface Listener {
        /** The session answered {@code initialize} after so many seconds. */
        void warm(CliSession session, double seconds);

        /** The session could not be started; its process is killed. */
        void startFailed(CliSession session, String why);

        /** The session's process ended on its own (crash, kill -9), whatever the session's state. */
        void exited(CliSession session);

        /** A retired session's process has stopped. */
        void retired(CliSession session);

        /** A ping or background reset ended; the session is usable again unless {@code fine} is false. */
        void choreDone(CliSession session, boolean fine, String reason);
    }
}
