package io.llmgateway.backend.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * How many sessions of each kind run: the warm pool kept at {@code LLM_POOL_SIZE}, overflow sessions spawned
 * for requests that would otherwise wait or whose conversation was taken over (up to
 * {@code LLM_POOL_MAX_OVERFLOW}) and retired when idle, failed sessions replaced, overflow ones included. Spawns
 * respect the {@link SpawnBackoff} and wait while the subscription's usage limit holds ({@link Allowance}). Not thread-safe: guarded by the pool's lock.
 */
final class Staffing {

    private final CliSettings settings;
    private final SessionKey warmKey;
    private final PoolSessions sessions;
    private final WaitingRequests queue;
    private final SpawnBackoff backoff;
    private final SessionLifecycle lifecycle;
    private final PoolMetrics metrics;
    private final Allowance allowance;
    private final Clock clock;
    private final System.Logger log;
    private int ids;
    private boolean closed;

    Staffing(CliSettings settings, PoolSessions sessions, WaitingRequests queue, SpawnBackoff backoff,
             SessionLifecycle lifecycle, PoolMetrics metrics, Allowance allowance, Clock clock, System.Logger log) {
        this.settings = settings;
        this.warmKey = new SessionKey(settings.defaultModel(), settings.defaultSystemPrompt());
        this.sessions = sessions;
        this.queue = queue;
        this.backoff = backoff;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.allowance = allowance;
        this.clock = clock;
        this.log = log;
    }

    /** Spawns warm sessions up to the pool size; after failures, one at a time. */
    void topUpWarm() {
        if (!maySpawn()) {
            return;
        }
        long missing = settings.poolSize() - sessions.live(CliSession.Origin.WARM);
        for (long i = 0; i < (backoff.probing() ? Math.min(1, missing) : missing); i++) {
            spawn(warmKey, CliSession.Origin.WARM);
        }
    }

    /**
     * Spawns overflow sessions for the waiting requests that neither a starting session nor one busy with the
     * pool's own work (idle again within milliseconds) will serve.
     */
    void overflowForWaiters() {
        for (Waiter waiter : queue) {
            if (queue.waiting(waiter.key()) > sessions.comingFree(waiter.key()) && roomForOverflow(waiter.key())) {
                spawn(waiter.key(), CliSession.Origin.OVERFLOW);
            }
        }
    }

    /**
     * Fails a session that cannot serve again and kills its process. A warm one is made up for by
     * {@link #topUpWarm}; an overflow one is replaced at once, since it was running for load that is still
     * there (an unneeded replacement retires like any idle overflow session).
     */
    void replace(CliSession session, String reason) {
        session.state(CliSession.State.FAILED);
        metrics.recycle();
        log.log(WARNING, "session " + session.id() + ": replaced because " + reason);
        lifecycle.kill(session);
        if (session.origin() == CliSession.Origin.OVERFLOW && freeOverflowRoom()) {
            spawn(session.key(), CliSession.Origin.OVERFLOW);
        }
    }

    /**
     * Spawns a clean overflow session for the client whose ongoing conversation a request is taking over, unless
     * one of the kind is already starting: otherwise that client takes over another conversation on its next
     * turn, and so on, and the pool never gets its affinity back after losing a session.
     *
     * @param takenOver the session whose conversation is about to be reset for another request
     */
    void makeUpFor(CliSession takenOver) {
        SessionKey key = takenOver.key();
        if (sessions.starting(key) == 0 && freeOverflowRoom()) {
            log.log(INFO, () -> "session " + takenOver.id() + ": its conversation goes to another request; spawning"
                    + " a clean session for its client");
            spawn(key, CliSession.Origin.OVERFLOW);
        }
    }

    /** Whether an idle overflow session has been idle long enough, with no request of its key waiting. */
    boolean unneeded(CliSession session, Instant now) {
        return session.origin() == CliSession.Origin.OVERFLOW
                && session.idleSince().plus(settings.overflowIdleTimeout()).isBefore(now)
                && !queue.anyFor(session.key());
    }

    /** Stops an idle session that is not needed; it leaves the table once its process has stopped. */
    void retire(CliSession session) {
        session.state(CliSession.State.STOPPING);
        metrics.recycle();
        log.log(INFO, () -> "session " + session.id() + ": retiring idle overflow session");
        lifecycle.retire(session);
    }

    /** No more spawns: the pool is closing. */
    void close() {
        closed = true;
    }

    /** Whether an overflow session may be spawned now, retiring an idle one of an unneeded key if that helps. */
    private boolean roomForOverflow(SessionKey key) {
        if (!maySpawn()) {
            return false;
        }
        if (sessions.live(CliSession.Origin.OVERFLOW) < settings.maxOverflow()) {
            return true;
        }
        Optional<CliSession> unneeded = sessions.all().stream()
                .filter(s -> s.origin() == CliSession.Origin.OVERFLOW && s.state() == CliSession.State.IDLE)
                .filter(s -> !s.key().equals(key) && !queue.anyFor(s.key()))
                .min(Comparator.comparing(CliSession::idleSince));
        unneeded.ifPresent(this::retire);
        return unneeded.isPresent();
    }

    /** Whether an overflow session may be spawned without retiring another: for spawns no request waits for. */
    private boolean freeOverflowRoom() {
        return maySpawn() && sessions.live(CliSession.Origin.OVERFLOW) < settings.maxOverflow();
    }

    /** Not while the usage limit holds either: every session would be refused, new ones as well. */
    private boolean maySpawn() {
        Instant now = clock.instant();
        return !closed && backoff.allows(now) && allowance.holding(now).isEmpty();
    }

    private void spawn(SessionKey key, CliSession.Origin origin) {
        CliSession session = new CliSession("cli-" + ++ids, key, origin, clock, metrics, allowance);
        sessions.add(session);
        log.log(INFO, () -> "session " + session.id() + ": spawning " + origin.wireName() + " session for "
                + key.describe());
        lifecycle.start(session);
    }
}
