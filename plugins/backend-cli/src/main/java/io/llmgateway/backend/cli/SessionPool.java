package io.llmgateway.backend.cli;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.Capacity;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.SessionInfo;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The session pool (the service spec's Session Pool Manager): what the backend asks of it. Requests take a
 * session and give it back; the parts do the rest, all under this pool's one lock, while process I/O never
 * happens under it:
 * <ul>
 *     <li>{@link PoolSessions}: the table of sessions and their states;</li>
 *     <li>{@link SessionChoice}: which idle session serves a request (conversation affinity), which is reset, and
 *     which waiting turn a request's tool results go to;</li>
 *     <li>{@link WaitingRequests}: the bounded FIFO queue of requests waiting for a session;</li>
 *     <li>{@link Staffing}: pre-warming, overflow, replacement and retirement, with {@link SpawnBackoff};</li>
 *     <li>{@link Leases}: a chosen session as the request's lease (continuing or reset, cold start);</li>
 *     <li>{@link Admission}: whether requests can be taken at all, the 503s, the health;</li>
 *     <li>{@link Allowance}: the subscription's usage limit, which refuses requests at once until it resets;</li>
 *     <li>{@link Maintenance}: the once-a-second tick (forget, replace, retire, keep-alive pings);</li>
 *     <li>{@link SessionLifecycle}: starting, pinging, resetting and stopping processes, on threads of its own.</li>
 * </ul>
 * This class holds the lock, the requests' waits, the turns parked while their client runs its tools
 * ({@link #park}), and what the lifecycle's threads report.
 */
final class SessionPool implements AutoCloseable {

    private final CliSettings settings;
    private final CliLauncher launcher;
    private final Clock clock;
    private final System.Logger log;
    private final ScheduledExecutorService scheduler;
    private final PoolMetrics metrics;
    /** How long tool results wait for a busy session of their kind to finish parking (its answer has just ended). */
    static final Duration PARKING_GRACE = Duration.ofMillis(200);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition parkedOne = lock.newCondition();
    private final PoolSessions sessions = new PoolSessions();
    private final SessionChoice choice = new SessionChoice(sessions);
    private final WaitingRequests queue;
    private final SpawnBackoff backoff = new SpawnBackoff();
    private final SessionLifecycle lifecycle;
    private final Staffing staffing;
    private final Admission admission;
    private final Maintenance maintenance;
    private final Leases leases;
    private final RejectedSchemas rejectedSchemas = new RejectedSchemas();
    private final Allowance allowance;
    private boolean closed;
    private ScheduledFuture<?> ticks;

    SessionPool(CliSettings settings, CliLauncher launcher, PoolMetrics metrics, Clock clock, System.Logger log,
                ScheduledExecutorService scheduler, Duration failedListed) {
        this.settings = settings;
        this.launcher = launcher;
        this.metrics = metrics;
        this.clock = clock;
        this.log = log;
        this.scheduler = scheduler;
        this.queue = new WaitingRequests(settings.queueCapacity());
        this.allowance = new Allowance(metrics);
        this.lifecycle = new SessionLifecycle(launcher, settings, metrics, log, new LifecycleEvents());
        this.staffing = new Staffing(settings, sessions, queue, backoff, lifecycle, metrics, allowance, clock, log);
        this.admission = new Admission(settings, sessions, backoff, allowance, clock);
        metrics.watchUsageLimit(() -> allowance.holding(clock.instant()).isPresent());
        this.maintenance = new Maintenance(sessions, staffing, settings.keepAliveInterval(), failedListed, metrics, log);
        this.leases = new Leases(staffing, metrics);
    }

    /** Checks the command, then starts pre-warming and the once-a-second maintenance. */
    void start() {
        Optional<String> problem = launcher.commandProblem();
        lock.lock();
        try {
            problem.ifPresent(message -> {
                log.log(ERROR, message);
                backoff.blocked(message, clock.instant());
            });
            staffing.topUpWarm();
            ticks = scheduler.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.SECONDS);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a session of the key for one request, waiting in the queue if none is free. A request bringing the
     * tool results a parked turn waits for gets that session at once. A request whose client is gone, on arrival
     * or while it waits, is dropped: no session is spawned or used for it.
     *
     * @param key        the model, system prompt and answer schema the request needs
     * @param affinity   what the request continues, for affinity and parked turns
     * @param deadline   when the request times out
     * @param clientGone whether the request's client has closed its connection (looked at while it waits)
     * @return the session, reserved for the caller until {@link #release}
     * @throws GatewayException             503 when no session can be had in time, 504 when the deadline passes,
     *                                     429 at once while the subscription's usage limit holds
     * @throws ClientDisconnectedException when the client left before a session was found
     */
    Lease acquire(SessionKey key, Affinity affinity, Instant deadline, BooleanSupplier clientGone)
            throws InterruptedException {
        Waiter waiter;
        lock.lock();
        try {
            if (clientGone.getAsBoolean()) {
                metrics.abandoned();
                throw clientLeft();
            }
            admission.check(closed);
            Optional<UsageLimit> limit = allowance.holding(clock.instant());
            if (limit.isPresent()) {
                metrics.usageRefusal(); // no turn, no spawn, no session failure: the limit is the account's
                throw limit.get().failure(clock.instant());
            }
            rejectedSchemas.check(key);
            Optional<CliSession> parked = choice.forToolResults(key, affinity);
            // a client may send its results the moment it read the calls, before their session is parked
            long grace = PARKING_GRACE.toNanos();
            while (parked.isEmpty() && affinity.answersCalls() && grace > 0 && sessions.busy(key) > 0) {
                grace = parkedOne.awaitNanos(grace);
                parked = choice.forToolResults(key, affinity);
            }
            if (parked.isPresent()) {
                return leases.lease(parked.get(), affinity);
            }
            Optional<CliSession> idle = choice.forArrival(key, affinity, queue);
            if (idle.isPresent()) {
                return leases.lease(idle.get(), affinity);
            }
            if (queue.isFull()) {
                throw admission.busy("the queue of " + queue.capacity() + " waiting requests is full");
            }
            waiter = queue.add(key, affinity, clientGone);
            dispatch();
        } finally {
            lock.unlock();
        }
        Instant queueEnd = clock.instant().plus(settings.queueTimeout());
        Optional<CliSession> handed;
        try {
            handed = waiter.await(queueEnd.isBefore(deadline) ? queueEnd : deadline, clock);
        } catch (InterruptedException e) {
            abandon(waiter);
            throw e;
        }
        lock.lock();
        try {
            return leases.lease(handed.isPresent() ? handed.get() : endOfWait(waiter, deadline), affinity);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives back, unused, the session of a request whose client left before anything was sent to it; the session
     * serves on as it was (a resumed turn waits for its results again), and the request counts as abandoned.
     *
     * @param lease the request's lease
     */
    void giveBack(Lease lease) {
        lock.lock();
        try {
            metrics.abandoned();
            if (lease.start() == Start.RESUME && !closed && lease.session().state() == CliSession.State.BUSY) {
                lease.session().awaitTools(lease.session().awaitingUntil());
            } else {
                release(lease.session(), true, "");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Parks a session whose turn waits for the results of the tool calls its client was just answered with: it
     * serves nobody else until the client's next request brings them, or {@code LLM_CLI_TOOL_RESULT_TIMEOUT}
     * passes (then its turn is interrupted and it is reset).
     *
     * @param session the session
     */
    void park(CliSession session) {
        lock.lock();
        try {
            if (closed || session.state() != CliSession.State.BUSY) {
                return;
            }
            if (!session.isAlive()) {
                staffing.replace(session, "its process exited while it waited for tool results");
                dispatch();
                staffing.topUpWarm();
                return;
            }
            session.awaitTools(clock.instant().plus(settings.toolResultTimeout()));
            parkedOne.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** What a request whose client left before it was served ends with (the host logs it as 499). */
    static ClientDisconnectedException clientLeft() {
        return new ClientDisconnectedException(new IOException(
                "the client closed its connection before a claude session served the request"));
    }

    /**
     * Gives a session back after its request.
     *
     * @param session the session
     * @param usable  whether it can serve again (its turn ended cleanly)
     * @param reason  why not, for the log, when it cannot
     */
    void release(CliSession session, boolean usable, String reason) {
        lock.lock();
        try {
            sessions.endHousekeeping(session);
            if (closed || session.state() != CliSession.State.BUSY) {
                return;
            }
            if (usable && session.isAlive()) {
                session.state(CliSession.State.IDLE);
                dispatch(); // a waiting request takes the session as it is: it may continue its conversation
                keepOneClean(session);
            } else {
                staffing.replace(session, reason);
                dispatch();
            }
            staffing.topUpWarm();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Notes the usage limit a turn ran into: from now until it resets, requests fail at once, those waiting included,
     * and no session is spawned.
     *
     * @param limit the limit
     */
    void usageLimitReached(UsageLimit limit) {
        lock.lock();
        try {
            Instant now = clock.instant();
            metrics.usageRefusal();
            if (allowance.reached(limit, now)) {
                log.log(WARNING, "the Claude subscription's usage limit" + limit.window().map(w -> " (" + w + ")").orElse("")
                        + " is reached: the cli backend refuses requests at once until " + limit.resetsAt());
            }
            queue.failAll(allowance.holding(now).orElse(limit).failure(now));
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many requests the pool could start a turn for at once (idle sessions, none while the usage limit holds),
     * out of how many it may run at once (the pool and its overflow).
     *
     * @return the capacity
     */
    Capacity capacity() {
        lock.lock();
        try {
            int total = settings.poolSize() + settings.maxOverflow();
            boolean refusing = closed || allowance.holding(clock.instant()).isPresent();
            return new Capacity(refusing ? 0 : (int) Math.min(total, sessions.idle()), total);
        } finally {
            lock.unlock();
        }
    }

    List<SessionInfo> sessions() {
        lock.lock();
        try {
            return sessions.infos();
        } finally {
            lock.unlock();
        }
    }

    BackendHealth health() {
        lock.lock();
        try {
            return admission.health(closed);
        } finally {
            lock.unlock();
        }
    }

    /** Stops every process (close stdin, SIGTERM, SIGKILL) and waits for them. */
    @Override
    public void close() {
        List<CliSession> toStop;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            staffing.close();
            if (ticks != null) {
                ticks.cancel(false);
            }
            queue.failAll(GatewayException.unavailable("The gateway is shutting down", Optional.empty()));
            toStop = sessions.all().stream().filter(s -> s.state() != CliSession.State.FAILED).toList();
            toStop.forEach(s -> s.state(CliSession.State.STOPPING));
        } finally {
            lock.unlock();
        }
        lifecycle.stopAll(toStop);
        log.log(INFO, () -> "cli backend stopped " + toStop.size() + " session(s)");
    }

    /** The once-a-second tick; it must survive anything one tick runs into, or nothing would be cleaned up again. */
    private void maintain() {
        try {
            Maintenance.Chores chores = tick();
            chores.toPing().forEach(lifecycle::ping);
            chores.toAbandon().forEach(lifecycle::abandonTurn);
        } catch (RuntimeException e) {
            log.log(WARNING, "cli pool maintenance failed; it runs again in a second", e);
        }
    }

    private Maintenance.Chores tick() {
        lock.lock();
        try {
            if (closed) {
                return new Maintenance.Chores(List.of(), List.of());
            }
            if (allowance.expire(clock.instant())) {
                log.log(INFO, "the Claude subscription's usage limit has reset: the cli backend serves again");
            }
            Maintenance.Chores chores = maintenance.tick(clock.instant());
            dispatch();
            return chores;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops waiting requests whose client has gone, hands idle sessions to the others (oldest first), then
     * spawns overflow sessions for those still waiting.
     */
    private void dispatch() {
        for (int dropped = queue.dropGone(SessionPool::clientLeft); dropped > 0; dropped--) {
            metrics.abandoned();
        }
        choice.handOut(queue);
        staffing.overflowForWaiters();
    }

    /** Resets an idle session of the kind in the background when none is clean (see {@link SessionChoice}). */
    private void keepOneClean(CliSession justServed) {
        choice.toReset(justServed).ifPresent(session -> {
            sessions.startHousekeeping(session);
            lifecycle.reset(session);
        });
    }

    /**
     * A wait that ended without a session (time up, client gone): the error to end the request with, or the
     * session handed to the waiter at the last moment, if its client is still there to use it.
     */
    private CliSession endOfWait(Waiter waiter, Instant deadline) {
        boolean gone = waiter.clientGone();
        if (!queue.remove(waiter)) {
            CliSession late = waiter.outcome()
                    .orElseThrow(() -> GatewayException.internal("A queued request lost its place in the queue"));
            if (!gone) {
                return late;
            }
            release(late, true, "");
        }
        if (gone) {
            metrics.abandoned();
            throw clientLeft();
        }
        if (!deadline.isAfter(clock.instant())) {
            // every session was busy the whole time: load on this deployment, not a slow upstream answer
            throw GatewayException.timeout("No claude session became free before the request timed out")
                    .withFailureKind(FailureKind.OVERLOADED);
        }
        throw admission.busy("no session became free within LLM_POOL_QUEUE_TIMEOUT (" + settings.queueTimeout().toSeconds() + " s)");
    }

    /** A waiter that will not take its session: out of the queue, and a session handed to it goes back. */
    private void abandon(Waiter waiter) {
        lock.lock();
        try {
            if (!queue.remove(waiter)) {
                try {
                    waiter.outcome().ifPresent(session -> release(session, true, "its request left the queue"));
                } catch (RuntimeException failed) {
                    // the wait had failed anyway
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A session reserved for one request.
     *
     * @param session   the session
     * @param start     how the request begins on it
     * @param coldStart whether it was spawned for this request
     */
    record Lease(CliSession session, Start start, boolean coldStart) {
        /** Whether the session holds the request's conversation so far (send only the new input). */
        boolean continuing() {
            return start != Start.FRESH;
        }
    }

    /** How a request begins on its session. */
    enum Start {
        /** The session's turn waits for the tool results the request brings: give them, read on. */
        RESUME,
        /** The session holds the conversation before the request's last user message: send that message. */
        CONTINUE,
        /** Reset the context if it is not clean, list the request's functions, send the whole dialogue. */
        FRESH
    }

    /** What the lifecycle's threads report, applied under the pool's lock. */
    private final class LifecycleEvents implements SessionLifecycle.Listener {

        @Override
        public void warm(CliSession session, double seconds) {
            lock.lock();
            try {
                if (closed) {
                    lifecycle.stop(session);
                    return;
                }
                session.state(CliSession.State.IDLE);
                backoff.succeeded();
                log.log(INFO, () -> String.format("session %s: warm after %.2f s (pid %d)", session.id(), seconds,
                                                  session.info().pid().orElse(-1)));
                dispatch();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void startFailed(CliSession session, String why) {
            lock.lock();
            try {
                session.state(CliSession.State.FAILED);
                Optional<GatewayException> refused = rejectedSchemas.noteIfRefused(session.key(), why);
                if (refused.isPresent()) {
                    log.log(INFO, () -> "session " + session.id() + ": the CLI refused the requests' answer schema");
                    queue.failAll(session.key(), refused.get());
                    dispatch();
                    return;
                }
                String failure = "cannot start a claude session: " + why;
                Duration wait = backoff.failed(failure, clock.instant());
                log.log(WARNING, "session " + session.id() + ": failed to start (" + why + "); next attempt in "
                        + wait.toSeconds() + " s");
                if (sessions.live() == 0) {
                    queue.failAll(admission.cannotStart(failure));
                }
                dispatch();
            } finally {
                lock.unlock();
            }
        }

        /**
         * A process that ended while idle or waiting for tool results is replaced now; one that ended mid-turn is
         * reported by its turn.
         */
        @Override
        public void exited(CliSession session) {
            lock.lock();
            try {
                if (!closed && (session.state() == CliSession.State.IDLE
                        || session.state() == CliSession.State.AWAITING_TOOLS)) {
                    staffing.replace(session, session.state() == CliSession.State.IDLE ? "its process exited while idle"
                            : "its process exited while it waited for tool results");
                    staffing.topUpWarm();
                    dispatch();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void retired(CliSession session) {
            lock.lock();
            try {
                sessions.remove(session);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void choreDone(CliSession session, boolean fine, String reason) {
            release(session, fine, reason);
        }
    }
}
