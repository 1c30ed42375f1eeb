package io.llmgateway.backend.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the once-a-second tick does to the table: forgets failed sessions listed long enough, replaces idle
 * sessions whose process ended, retires idle overflow sessions nobody needs, and picks the idle sessions due
 * for a keep-alive ping (marked busy with the pool's own work, to be pinged outside the lock). Not
 * thread-safe: guarded by the pool's lock.
 */
final class Maintenance {

    private final PoolSessions sessions;
    private final Staffing staffing;
    private final Duration keepAliveInterval;
    private final Duration failedListed;

    Maintenance(PoolSessions sessions, Staffing staffing, Duration keepAliveInterval, Duration failedListed) {
        this.sessions = sessions;
        this.staffing = staffing;
        this.keepAliveInterval = keepAliveInterval;
        this.failedListed = failedListed;
    }

    /**
     * Runs one tick.
     *
     * @param now the time
     * @return the sessions to ping, already marked busy with housekeeping
     */
    List<CliSession> tick(Instant now) {
        List<CliSession> toPing = new ArrayList<>();
        sessions.forgetFailedBefore(now.minus(failedListed));
        for (CliSession session : sessions.all()) {
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
        return toPing;
    }
}
