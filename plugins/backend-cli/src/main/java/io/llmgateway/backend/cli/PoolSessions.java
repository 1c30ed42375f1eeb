package io.llmgateway.backend.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.llmgateway.api.SessionInfo;

/**
 * The pool's sessions as a table: every session it runs or has just lost, which of them are busy with the
 * pool's own work, and counts over them. Not thread-safe: guarded by the pool's lock.
 */
final class PoolSessions {

    private final List<CliSession> sessions = new ArrayList<>();
    /** Busy sessions the pool itself is using (a background /clear, a keep-alive ping): idle again shortly. */
    private final Set<CliSession> housekeeping = new HashSet<>();

    void add(CliSession session) {
        sessions.add(session);
    }

    void remove(CliSession session) {
        sessions.remove(session);
        housekeeping.remove(session);
    }

    /** A copy, safe to iterate while sessions change state or leave. */
    List<CliSession> all() {
        return List.copyOf(sessions);
    }

    /** The idle sessions of a key whose process still runs, in the order they joined the pool. */
    List<CliSession> idle(SessionKey key) {
        return sessions.stream()
                .filter(s -> s.state() == CliSession.State.IDLE && s.key().equals(key) && s.isAlive())
                .toList();
    }

    /** How many sessions, of any key, are idle with their process running: able to take a turn now. */
    long idle() {
        return count(s -> s.state() == CliSession.State.IDLE && s.isAlive());
    }

    /** The sessions of a key whose turn waits for tool results (one whose process ends is replaced at once). */
    List<CliSession> awaitingTools(SessionKey key) {
        return sessions.stream()
                .filter(s -> s.state() == CliSession.State.AWAITING_TOOLS && s.key().equals(key))
                .toList();
    }

    /** Marks an idle session busy with the pool's own work. */
    void startHousekeeping(CliSession session) {
        session.state(CliSession.State.BUSY);
        housekeeping.add(session);
    }

    /** Ends the pool's own work on a session, if it was doing any. */
    void endHousekeeping(CliSession session) {
        housekeeping.remove(session);
    }

    /** How many sessions of the key are busy with the pool's own work: idle again within milliseconds. */
    long inHousekeeping(SessionKey key) {
        return housekeeping.stream().filter(s -> s.key().equals(key)).count();
    }

    /** Sessions of the key that will soon take a request: starting, or busy with the pool's own work. */
    long comingFree(SessionKey key) {
        return count(s -> s.key().equals(key) && (s.state() == CliSession.State.STARTING || housekeeping.contains(s)));
    }

    long live() {
        return count(s -> s.state().isLive());
    }

    long live(CliSession.Origin origin) {
        return count(s -> s.origin() == origin && s.state().isLive());
    }

    /** Sessions that can take a request now or after their current one. */
    long warm() {
        return count(s -> s.state() == CliSession.State.IDLE || s.state() == CliSession.State.BUSY
                || s.state() == CliSession.State.AWAITING_TOOLS);
    }

    /** How many sessions of the key are busy. */
    long busy(SessionKey key) {
        return count(s -> s.state() == CliSession.State.BUSY && s.key().equals(key));
    }

    long starting() {
        return count(s -> s.state() == CliSession.State.STARTING);
    }

    long starting(SessionKey key) {
        return count(s -> s.state() == CliSession.State.STARTING && s.key().equals(key));
    }

    /** Drops failed sessions listed since before the cutoff. */
    void forgetFailedBefore(Instant cutoff) {
        sessions.removeIf(s -> s.failedAt().map(at -> at.isBefore(cutoff)).orElse(false));
    }

    List<SessionInfo> infos() {
        return sessions.stream().map(CliSession::info).toList();
    }

    private long count(Predicate<CliSession> predicate) {
        return sessions.stream().filter(predicate).count();
    }
}
