package io.llmgateway.host.chat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat calls being served, so a shutdown can wait for them and, past its grace, stop those still
 * running: each is interrupted and answers its client with a 503 (an error event when streaming) and a log
 * line of its own, rather than being cut off without either.
 */
public final class CallsInFlight {

    private static final Duration POLL = Duration.ofMillis(20);

    private final Set<Running> running = ConcurrentHashMap.newKeySet();

    /**
     * How many calls are running.
     *
     * @return the count
     */
    public int count() {
        return running.size();
    }

    /**
     * Waits until no call is running.
     *
     * @param timeout how long at most
     * @return true when none is left
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL);
        }
        return true;
    }

    /**
     * Stops every running call: it is marked as stopped by the shutdown and its thread interrupted, which
     * ends a backend's wait or upstream read.
     */
    public void stopAll() {
        for (Running call : running) {
            call.stopped = true;
            call.thread.interrupt();
        }
    }

    Running start() {
        Running call = new Running(Thread.currentThread());
        running.add(call);
        return call;
    }

    void end(Running call) {
        running.remove(call);
    }

    /** One running call: the thread serving it. */
    static final class Running {
        private final Thread thread;
        private volatile boolean stopped;

        private Running(Thread thread) {
            this.thread = thread;
        }

        /** {@return whether the shutdown stopped this call} */
        boolean stoppedByShutdown() {
            return stopped;
        }
    }
}
