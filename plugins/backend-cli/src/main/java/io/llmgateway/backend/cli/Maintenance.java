package io.llmgateway.backend.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the once-a-second tick does to the table: forgets failed sessions listed long enough, replaces idle
 * sessions whose process ended, retires idle overflow sessions nobody needs, picks the idle sessions due for a
 * keep-alive ping and the sessions whose client did not bring its tool results in time (each marked busy with
 * the pool's own work, to be pinged or interrupted and reset outside the lock). Not thread-safe: guarded by
 * the pool's lock.
 */
final class Maintenance {

    private final PoolSessions sessions;
    private final Staffing staffing;
    private final Duration keepAliveInterval;
    private final Duration failedListed;
    private final PoolMetrics metrics;
    private final System.Logger log;

    Maintenance(PoolSessions sessions, Staffing staffing, Duration keepAliveInterval, Duration failedListed,
                PoolMetrics metrics, System.Logger log) {
        this.metrics = metrics;
        this.log = log;
        this.sessions = sessions;
        this.staffing = staffing;
        this.keepAliveInterval = keepAliveInterval;
        this.failedListed = failedListed;
    }

    /**
     * Runs one tick.
     *
     * @param now the time
     * @return the sessions to ping and those to interrupt and reset, already marked busy with housekeeping
     */
    Chores tick(Instant now) {
        List<CliSession> toPing = new ArrayList<>();
        List<CliSession> toAbandon = new ArrayList<>();
        sessions.forgetFailedBefore(now.minus(failedListed));
        for (CliSession session : sessions.all()) {
            if (session.state() == CliSession.State.AWAITING_TOOLS) {
                if (!session.isAlive()) {
                    staffing.replace(session, "its process exited while it waited for tool results");
                } else if (session.awaitingUntil().isBefore(now)) {
                    metrics.toolResultTimeout();
                    log.log(System.Logger.Level.WARNING, "session " + session.id() + ": its client did not bring the"
                            + " tool results in time (LLM_CLI_TOOL_RESULT_TIMEOUT); interrupting the turn and resetting");
                    sessions.startHousekeeping(session);
                    toAbandon.add(session);
                }
                continue;
            }
            if (session.state() != CliSession.State.IDLE) {
                continue;
            }
            if (!session.isAlive()) {
                staffing.replace(session, "its process exited while idle");
            } else if (staffing.unneeded(session, now)) {
                staffing.retire(session);
            } else if (session.lastActive().plus(keepAliveInterval).isBefore(now)) {
                sessions.startHousekeeping(session);
                toPing.add(session);
            }
        }
        staffing.topUpWarm();
        return new Chores(toPing, toAbandon);
    }

    /**
     * The work a tick leaves for outside the lock.
     *
     * @param toPing    idle sessions due for a keep-alive ping
     * @param toAbandon sessions whose wait for tool results is over: interrupt their turn and reset them
     */
    record Chores(List<CliSession> toPing, List<CliSession> toAbandon) {
        Chores {
            toPing = List.copyOf(toPing);
            toAbandon = List.copyOf(toAbandon);
        }
    }
}
