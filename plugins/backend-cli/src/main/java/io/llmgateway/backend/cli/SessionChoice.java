package io.llmgateway.backend.cli;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which idle session serves which request, and which is reset in the background: conversation affinity. A
 * session holding the request's conversation so far is preferred, then one with a clean context, then the
 * one idle the longest (reset first), sparing ongoing conversations (continued at least once) while others
 * can be had. When no idle session of a kind is clean, the one idle the longest is reset in the background,
 * so new conversations rarely wait for a {@code /clear} while the latest conversation stays ready to be
 * continued; an ongoing conversation is never reset in the background. A new conversation that finds no
 * clean session while one is being reset waits for that reset rather than resetting another. Not
 * thread-safe: guarded by the pool's lock.
 */
final class SessionChoice {

    private final PoolSessions sessions;

    SessionChoice(PoolSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * The idle session a request arriving now should take.
     *
     * @param key     the request's key
     * @param affinity what the request would continue
     * @param queue    the requests already waiting
     * @return the session, or empty when the request should wait in the queue
     */
    Optional<CliSession> forArrival(SessionKey key, Affinity affinity, WaitingRequests queue) {
        List<CliSession> idle = sessions.idle(key);
        Optional<CliSession> chosen = pick(idle, affinity, false);
        if (chosen.isEmpty() && !(resetSoonFor(key, queue.waiting(key)) && !queue.isFull())) {
            chosen = pick(idle, affinity, true);
        }
        return chosen;
    }

    /**
     * The session whose turn waits for the tool results a request brings: of the key, awaiting tools, holding the
     * conversation and waiting for exactly those calls. Only that session can go on with the turn; any other
     * would be given the whole dialogue.
     *
     * @param key      the request's key
     * @param affinity what the request continues, with the calls it answers
     * @return the session, or empty when none waits for these calls (it timed out, died, or never existed)
     */
    Optional<CliSession> forToolResults(SessionKey key, Affinity affinity) {
        if (!affinity.answersCalls()) {
            return Optional.empty();
        }
        return sessions.awaitingTools(key).stream().filter(session -> session.holds(affinity)).findFirst();
    }

    /** Hands idle sessions to waiting requests, oldest first; each taken session is marked busy. */
    void handOut(WaitingRequests queue) {
        Map<SessionKey, Integer> stillWaiting = new HashMap<>();
        for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            int ahead = stillWaiting.getOrDefault(waiter.key(), 0);
            Optional<CliSession> idle = pick(sessions.idle(waiter.key()), waiter.affinity(), !resetSoonFor(waiter.key(), ahead));
            if (idle.isPresent()) {
                idle.get().state(CliSession.State.BUSY);
                it.remove();
                waiter.hand(idle.get());
            } else {
                stillWaiting.merge(waiter.key(), 1, Integer::sum);
            }
        }
    }

    /**
     * The session to reset in the background after one served, so the next new conversation finds a clean
     * one: none while an idle session is clean; never the one that just served, which keeps its conversation
     * for the client likely to continue it, nor one holding an ongoing conversation, whose client is likely
     * to continue it too; of the others, the one idle the longest.
     *
     * @param justServed the session that just finished a request
     * @return the session to reset, if any
     */
    Optional<CliSession> toReset(CliSession justServed) {
        List<CliSession> idle = sessions.idle(justServed.key());
        if (idle.stream().anyMatch(CliSession::isClean)) {
            return Optional.empty();
        }
        return idle.stream()
                .filter(s -> s != justServed && !s.holdsOngoingConversation())
                .min(Comparator.comparing(CliSession::idleSince));
    }

    /**
     * The session holding the conversation, else a clean one, else (when {@code dirtyToo}) the one to reset
     * first: one whose conversation was never continued before one holding an ongoing conversation, and of
     * those the one idle the longest.
     */
    private static Optional<CliSession> pick(List<CliSession> idle, Affinity affinity, boolean dirtyToo) {
        CliSession clean = null;
        CliSession toReset = null;
        for (CliSession session : idle) {
            if (session.holds(affinity)) {
                return Optional.of(session);
            }
            if (clean == null && session.isClean()) {
                clean = session;
            }
            if (toReset == null || resetSooner(session, toReset)) {
                toReset = session;
            }
        }
        return Optional.ofNullable(clean != null ? clean : dirtyToo ? toReset : null);
    }

    private static boolean resetSooner(CliSession session, CliSession than) {
        if (session.holdsOngoingConversation() != than.holdsOngoingConversation()) {
            return !session.holdsOngoingConversation();
        }
        return session.idleSince().isBefore(than.idleSince());
    }

    /**
     * Whether a session of the key busy with housekeeping (a background {@code /clear}, a ping) will be free
     * for the next request after {@code ahead} others: then a new conversation waits the rest of that reset (a
     * few ms) instead of resetting another session, which would cost a whole {@code /clear}, run two at once on
     * the same cores, and throw away the conversation that session holds for its client.
     */
    private boolean resetSoonFor(SessionKey key, int ahead) {
        return sessions.inHousekeeping(key) > ahead;
    }
}
