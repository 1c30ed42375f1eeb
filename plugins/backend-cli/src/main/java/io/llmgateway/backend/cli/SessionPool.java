package io.llmgateway.backend.cli;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.SessionInfo;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The session pool (the service spec's Session Pool Manager).
 *
 * <ul>
 *     <li>Pre-warming: {@code poolSize} sessions of the default key are spawned at start and kept at that
 *     number; a session is warm once it answered {@code initialize}.</li>
 *     <li>Keep-alive: an idle session is pinged with a control request (no tokens) every keep-alive
 *     interval; one that does not answer is replaced.</li>
 *     <li>Recovery: a session whose process exits, hangs or misbehaves is replaced in the background;
 *     failing spawns back off exponentially up to a minute, so a missing CLI never causes a spawn loop.</li>
 *     <li>Overflow: a request that finds no idle session of its key gets a cold session spawned for it,
 *     up to {@code maxOverflow} beyond the warm pool; overflow sessions retire when idle. Beyond that,
 *     requests wait in a bounded FIFO queue, then get a 503 with {@code Retry-After}.</li>
 *     <li>Affinity: among idle sessions, one that holds the request's conversation so far is preferred,
 *     then one with a clean context, then the one idle the longest. When no idle session of a kind is
 *     clean, the one idle the longest is reset in the background, so new conversations rarely wait for a
 *     reset while the latest conversation stays ready to be continued. A new conversation that finds no
 *     clean session while one is being reset waits for that reset rather than resetting another.</li>
 * </ul>
 *
 * <p>All bookkeeping happens under one lock; process I/O (spawning, pings, stopping) never does.
 */
final class SessionPool implements AutoCloseable {

    private static final Duration TOMBSTONE = Duration.ofSeconds(60);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final CliSettings settings;
    private final CliLauncher launcher;
    private final PoolMetrics metrics;
    private final Clock clock;
    private final System.Logger log;
    private final ScheduledExecutorService scheduler;
    private final SessionKey warmKey;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<CliSession> sessions = new ArrayList<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    /** Busy sessions the pool itself is using (a background /clear, a keep-alive ping): idle again shortly. */
    private final Set<CliSession> housekeeping = new HashSet<>();
    private final AtomicInteger ids = new AtomicInteger();
    private int consecutiveFailures;
    private Instant nextSpawnAt = Instant.MIN;
    private String lastFailure;
    private boolean closed;
    private ScheduledFuture<?> maintenance;

    SessionPool(CliSettings settings, CliLauncher launcher, PoolMetrics metrics, Clock clock, System.Logger log,
                ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.launcher = launcher;
        this.metrics = metrics;
        this.clock = clock;
        this.log = log;
        this.scheduler = scheduler;
        this.warmKey = new SessionKey(settings.defaultModel(), settings.defaultSystemPrompt());
    }

    /** Checks the command, then starts pre-warming and the once-a-second maintenance. */
    void start() {
        Optional<String> problem = launcher.commandProblem();
        lock.lock();
        try {
            problem.ifPresent(message -> {
                log.log(ERROR, message);
                lastFailure = message;
                consecutiveFailures = 1;
                nextSpawnAt = clock.instant().plus(MAX_BACKOFF);
            });
            topUpWarm();
            maintenance = scheduler.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.SECONDS);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a session of the key for one request, waiting in the queue if none is free.
     *
     * @param key      the model and system prompt the request needs
     * @param history  the request's dialogue before its last message, for affinity
     * @param deadline when the request times out
     * @return the session, reserved for the caller until {@link #release}
     * @throws GatewayException 503 when no session can be had in time, 504 when the deadline passes
     */
    Lease acquire(SessionKey key, List<Conversation.Turn> history, Instant deadline) throws InterruptedException {
        lock.lock();
        try {
            checkCanServe();
            CliSession idle = pickIdle(key, history, false);
            if (idle == null && !(resetSoonFor(key, waiting(key)) && waiters.size() < settings.queueCapacity())) {
                idle = pickIdle(key, history, true);
            }
            if (idle != null) {
                return lease(idle, history);
            }
            if (waiters.size() >= settings.queueCapacity()) {
                throw busy("the queue of " + settings.queueCapacity() + " waiting requests is full");
            }
            Waiter waiter = new Waiter(key, history);
            waiters.addLast(waiter);
            dispatch();
            Instant queueEnd = clock.instant().plus(settings.queueTimeout());
            Instant giveUpAt = queueEnd.isBefore(deadline) ? queueEnd : deadline;
            while (waiter.session == null && waiter.failure == null) {
                long nanos = Duration.between(clock.instant(), giveUpAt).toNanos();
                if (nanos <= 0) {
                    waiters.remove(waiter);
                    if (!deadline.isAfter(clock.instant())) {
                        throw GatewayException.timeout("No claude session became free before the request timed out");
                    }
                    throw busy("no session became free within LLM_POOL_QUEUE_TIMEOUT ("
                                       + settings.queueTimeout().toSeconds() + " s)");
                }
                changed.awaitNanos(nanos);
            }
            if (waiter.failure != null) {
                throw waiter.failure;
            }
            return lease(waiter.session, history);
        } finally {
            lock.unlock();
        }
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
            housekeeping.remove(session);
            if (closed || session.state() != CliSession.State.BUSY) {
                return;
            }
            if (usable && session.isAlive()) {
                session.state(CliSession.State.IDLE);
                dispatch(); // a waiting request takes the session as it is: it may continue its conversation
                keepOneClean(session);
            } else {
                replace(session, reason);
                dispatch();
            }
            topUpWarm();
        } finally {
            lock.unlock();
        }
    }

    List<SessionInfo> sessions() {
        lock.lock();
        try {
            return sessions.stream().map(CliSession::info).toList();
        } finally {
            lock.unlock();
        }
    }

    BackendHealth health() {
        lock.lock();
        try {
            if (closed) {
                return new BackendHealth(BackendHealth.State.DOWN, "shutting down");
            }
            long warm = count(s -> s.state() == CliSession.State.IDLE || s.state() == CliSession.State.BUSY);
            if (warm > 0 || (settings.poolSize() == 0 && lastFailure == null)) {
                return new BackendHealth(BackendHealth.State.UP, warm + " warm session(s)");
            }
            if (lastFailure != null && count(s -> s.state() == CliSession.State.STARTING) == 0) {
                return new BackendHealth(BackendHealth.State.DOWN, lastFailure);
            }
            return new BackendHealth(BackendHealth.State.STARTING, "warming up " + settings.poolSize() + " session(s)");
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
            if (maintenance != null) {
                maintenance.cancel(false);
            }
            GatewayException shuttingDown = GatewayException.unavailable("The gateway is shutting down", Optional.empty());
            waiters.forEach(waiter -> waiter.failure = shuttingDown);
            waiters.clear();
            toStop = sessions.stream().filter(s -> s.state() != CliSession.State.FAILED).toList();
            toStop.forEach(s -> s.state(CliSession.State.STOPPING));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        List<Thread> stopping = toStop.stream()
                .map(session -> Thread.ofVirtual().name(session.id() + "-stop").start(() -> session.stop(STOP_GRACE)))
                .toList();
        for (Thread thread : stopping) {
            try {
                thread.join(STOP_GRACE.multipliedBy(4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                toStop.forEach(CliSession::kill);
                break;
            }
        }
        toStop.forEach(session -> launcher.cleanUp(session.id()));
        launcher.cleanUpAll();
        log.log(INFO, () -> "cli backend stopped " + toStop.size() + " session(s)");
    }

    private void maintain() {
        List<CliSession> toPing = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            sessions.removeIf(s -> s.failedAt().map(at -> at.plus(TOMBSTONE).isBefore(now)).orElse(false));
            for (CliSession session : List.copyOf(sessions)) {
                if (session.state() != CliSession.State.IDLE) {
                    continue;
                }
                if (!session.isAlive()) {
                    replace(session, "its process exited while idle");
                } else if (session.origin() == CliSession.Origin.OVERFLOW
                        && session.idleSince().plus(settings.overflowIdleTimeout()).isBefore(now)
                        && waiters.stream().noneMatch(w -> w.key.equals(session.key()))) {
                    retire(session);
                } else if (session.lastActive().plus(settings.keepAliveInterval()).isBefore(now)) {
                    session.state(CliSession.State.BUSY);
                    housekeeping.add(session);
                    toPing.add(session);
                }
            }
            topUpWarm();
            dispatch();
        } catch (RuntimeException e) {
            log.log(WARNING, "cli pool maintenance failed", e);
        } finally {
            lock.unlock();
        }
        toPing.forEach(session -> Thread.ofVirtual().name(session.id() + "-ping").start(() -> keepAlive(session)));
    }

    /**
     * Keeps an idle session of the kind clean for the next new conversation, so it does not wait for a
     * {@code /clear} (about 15 ms): when none is, the one idle the longest is reset in the background. The
     * session that just served keeps its conversation, for the client likely to continue it.
     */
    private void keepOneClean(CliSession justServed) {
        List<CliSession> idle = sessions.stream()
                .filter(s -> s.state() == CliSession.State.IDLE && s.key().equals(justServed.key()))
                .toList();
        if (idle.stream().noneMatch(CliSession::isClean)) {
            idle.stream()
                    .filter(s -> s != justServed)
                    .min(Comparator.comparing(CliSession::idleSince))
                    .ifPresent(this::clearInBackground);
        }
    }

    private void clearInBackground(CliSession session) {
        session.state(CliSession.State.BUSY);
        housekeeping.add(session);
        Thread.ofVirtual().name(session.id() + "-clear").start(() -> {
            boolean cleared;
            try {
                cleared = session.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cleared = false;
            }
            release(session, cleared, "it did not come back from /clear");
        });
    }

    private void keepAlive(CliSession session) {
        boolean answered;
        try {
            answered = session.ping(PING_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answered = false;
        }
        release(session, answered, "it did not answer a keep-alive ping within " + PING_TIMEOUT.toSeconds() + " s");
    }

    /**
     * Hands idle sessions to waiting requests (oldest first) and spawns overflow sessions for the rest: for
     * the requests that neither a starting session nor one busy with the pool's own housekeeping (idle
     * again within milliseconds) will serve.
     */
    private void dispatch() {
        Map<SessionKey, Integer> stillWaiting = new HashMap<>();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            int ahead = stillWaiting.getOrDefault(waiter.key, 0);
            CliSession idle = pickIdle(waiter.key, waiter.history, !resetSoonFor(waiter.key, ahead));
            if (idle != null) {
                idle.state(CliSession.State.BUSY);
                waiter.session = idle;
                it.remove();
            } else {
                stillWaiting.merge(waiter.key, 1, Integer::sum);
            }
        }
        for (Waiter waiter : waiters) {
            long waiting = waiting(waiter.key);
            long comingFree = count(s -> s.key().equals(waiter.key)
                    && (s.state() == CliSession.State.STARTING || housekeeping.contains(s)));
            if (waiting > comingFree && makeRoomForOverflow(waiter.key)) {
                spawn(waiter.key, CliSession.Origin.OVERFLOW);
            }
        }
        changed.signalAll();
    }

    /** Whether an overflow session may be spawned now, retiring an idle one of an unneeded key if that helps. */
    private boolean makeRoomForOverflow(SessionKey key) {
        if (closed || clock.instant().isBefore(nextSpawnAt)) {
            return false;
        }
        if (liveOverflow() < settings.maxOverflow()) {
            return true;
        }
        Optional<CliSession> unneeded = sessions.stream()
                .filter(s -> s.origin() == CliSession.Origin.OVERFLOW && s.state() == CliSession.State.IDLE)
                .filter(s -> !s.key().equals(key) && waiters.stream().noneMatch(w -> w.key.equals(s.key())))
                .min(Comparator.comparing(CliSession::idleSince));
        unneeded.ifPresent(this::retire);
        return unneeded.isPresent();
    }

    private void topUpWarm() {
        if (closed || clock.instant().isBefore(nextSpawnAt)) {
            return;
        }
        long live = count(s -> s.origin() == CliSession.Origin.WARM && s.state().isLive());
        long missing = settings.poolSize() - live;
        // after failures, probe with one spawn at a time
        for (long i = 0; i < (consecutiveFailures > 0 ? Math.min(1, missing) : missing); i++) {
            spawn(warmKey, CliSession.Origin.WARM);
        }
    }

    private void spawn(SessionKey key, CliSession.Origin origin) {
        CliSession session = new CliSession("cli-" + ids.incrementAndGet(), key, origin, clock);
        sessions.add(session);
        log.log(INFO, () -> "session " + session.id() + ": spawning " + origin.wireName() + " session for "
                + key.describe());
        Thread.ofVirtual().name(session.id() + "-start").start(() -> bringUp(session));
    }

    private void bringUp(CliSession session) {
        long started = System.nanoTime();
        try {
            session.start(launcher, settings.startTimeout());
        } catch (IOException | RuntimeException e) {
            spawnFailed(session, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spawnFailed(session, "interrupted while starting");
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        metrics.spawned(seconds);
        session.process().ifPresent(process -> process.onExit(() -> exited(session)));
        lock.lock();
        try {
            if (closed) {
                Thread.ofVirtual().start(() -> session.stop(STOP_GRACE));
                return;
            }
            session.state(CliSession.State.IDLE);
            consecutiveFailures = 0;
            lastFailure = null;
            log.log(INFO, () -> String.format("session %s: warm after %.2f s (pid %d)", session.id(), seconds,
                                              session.info().pid().orElse(-1)));
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    private void spawnFailed(CliSession session, String message) {
        session.kill();
        metrics.spawnFailure();
        lock.lock();
        try {
            session.state(CliSession.State.FAILED);
            consecutiveFailures++;
            Duration backoff = backoff();
            nextSpawnAt = clock.instant().plus(backoff);
            lastFailure = "cannot start a claude session: " + message;
            log.log(WARNING, "session " + session.id() + ": failed to start (" + message + "); next attempt in "
                    + backoff.toSeconds() + " s");
            if (count(s -> s.state().isLive()) == 0) {
                GatewayException failure = unavailable(lastFailure);
                waiters.forEach(waiter -> waiter.failure = failure);
                waiters.clear();
            }
            dispatch();
        } finally {
            lock.unlock();
        }
        launcher.cleanUp(session.id());
    }

    /** A process ended on its own (crash, kill -9): replace it unless its turn will report it. */
    private void exited(CliSession session) {
        lock.lock();
        try {
            if (!closed && session.state() == CliSession.State.IDLE) {
                replace(session, "its process exited while idle");
                topUpWarm();
                dispatch();
            }
        } finally {
            lock.unlock();
        }
    }

    private void replace(CliSession session, String reason) {
        session.state(CliSession.State.FAILED);
        metrics.recycle();
        log.log(WARNING, "session " + session.id() + ": replaced because " + reason);
        Thread.ofVirtual().name(session.id() + "-kill").start(() -> {
            session.kill();
            launcher.cleanUp(session.id());
        });
    }

    private void retire(CliSession session) {
        session.state(CliSession.State.STOPPING);
        metrics.recycle();
        log.log(INFO, () -> "session " + session.id() + ": retiring idle overflow session");
        Thread.ofVirtual().name(session.id() + "-retire").start(() -> {
            session.stop(STOP_GRACE);
            launcher.cleanUp(session.id());
            lock.lock();
            try {
                sessions.remove(session);
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * Whether a session of the key busy with housekeeping (a background {@code /clear}, a ping) will be
     * free for the next request after {@code ahead} others: then a new conversation waits the rest of that
     * reset (a few ms) instead of resetting another session, which would cost a whole {@code /clear}, run two
     * at once on the same cores, and throw away the conversation that session holds for its client.
     */
    private boolean resetSoonFor(SessionKey key, int ahead) {
        return count(s -> s.key().equals(key) && housekeeping.contains(s)) > ahead;
    }

    private int waiting(SessionKey key) {
        return (int) waiters.stream().filter(w -> w.key.equals(key)).count();
    }

    /**
     * The idle session a request of the key should take: the one holding its conversation, else a clean one,
     * else (when {@code dirtyToo}) the one idle the longest, to be reset first.
     */
    private CliSession pickIdle(SessionKey key, List<Conversation.Turn> history, boolean dirtyToo) {
        CliSession clean = null;
        CliSession longestIdle = null;
        for (CliSession session : sessions) {
            if (session.state() != CliSession.State.IDLE || !session.key().equals(key) || !session.isAlive()) {
                continue;
            }
            if (session.holds(history)) {
                return session;
            }
            if (clean == null && session.isClean()) {
                clean = session;
            }
            if (longestIdle == null || session.idleSince().isBefore(longestIdle.idleSince())) {
                longestIdle = session;
            }
        }
        return clean != null ? clean : dirtyToo ? longestIdle : null;
    }

    private Lease lease(CliSession session, List<Conversation.Turn> history) {
        session.state(CliSession.State.BUSY);
        boolean continuing = session.holds(history);
        boolean coldStart = session.origin() == CliSession.Origin.OVERFLOW && session.requestCount() == 0;
        if (continuing) {
            metrics.affinityHit();
        }
        if (coldStart) {
            metrics.coldStart();
        }
        return new Lease(session, continuing, coldStart);
    }

    private void checkCanServe() {
        if (closed) {
            throw unavailable("The gateway is shutting down");
        }
        if (settings.poolSize() + settings.maxOverflow() == 0) {
            throw unavailable("The cli backend has no sessions: LLM_POOL_SIZE and LLM_POOL_MAX_OVERFLOW are both 0");
        }
        if (lastFailure != null && count(s -> s.state().isLive()) == 0) {
            throw unavailable(lastFailure);
        }
    }

    private GatewayException busy(String why) {
        return GatewayException.unavailable("All claude sessions are busy: " + why, Optional.of(settings.retryAfter()));
    }

    private GatewayException unavailable(String message) {
        Duration wait = Duration.between(clock.instant(), nextSpawnAt);
        return GatewayException.unavailable(message, Optional.of(wait.isNegative() ? settings.retryAfter() : wait));
    }

    private Duration backoff() {
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(consecutiveFailures - 1, 10));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private long liveOverflow() {
        return count(s -> s.origin() == CliSession.Origin.OVERFLOW && s.state().isLive());
    }

    private long count(Predicate<CliSession> predicate) {
        return sessions.stream().filter(predicate).count();
    }

    /**
     * A session reserved for one request.
     *
     * @param session    the session
     * @param continuing whether it holds the request's conversation so far (send only the last message)
     * @param coldStart  whether it was spawned for this request
     */
    record Lease(CliSession session, boolean continuing, boolean coldStart) {
    }

    /** A request waiting for a session; fields are guarded by the pool's lock. */
    private static final class Waiter {
        private final SessionKey key;
        private final List<Conversation.Turn> history;
        private CliSession session;
        private GatewayException failure;

        private Waiter(SessionKey key, List<Conversation.Turn> history) {
            this.key = key;
            this.history = history;
        }
    }
}
