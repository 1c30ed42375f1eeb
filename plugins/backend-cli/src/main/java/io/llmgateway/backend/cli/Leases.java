package io.llmgateway.backend.cli;

/**
 * Turns the session chosen for a request into its lease: marks it busy, tells whether it resumes a turn
 * waiting for the request's tool results, continues the request's conversation (only the last message is
 * sent) or is reset first, makes up for an ongoing conversation it takes over, and counts affinity hits, tool
 * continuations and cold starts. Not thread-safe: guarded by the pool's lock.
 */
final class Leases {

    private final Staffing staffing;
    private final PoolMetrics metrics;

    Leases(Staffing staffing, PoolMetrics metrics) {
        this.staffing = staffing;
        this.metrics = metrics;
    }

    SessionPool.Lease lease(CliSession session, Affinity affinity) {
        if (session.state() == CliSession.State.AWAITING_TOOLS) {
            session.state(CliSession.State.BUSY);
            metrics.toolContinuation();
            return new SessionPool.Lease(session, SessionPool.Start.RESUME, false);
        }
        session.state(CliSession.State.BUSY);
        boolean continuing = session.holds(affinity);
        if (!continuing && session.holdsOngoingConversation()) {
            staffing.makeUpFor(session); // its client will be back, and should find a clean session then
        }
        boolean coldStart = session.origin() == CliSession.Origin.OVERFLOW && session.requestCount() == 0;
        if (continuing) {
            metrics.affinityHit();
        }
        if (coldStart) {
            metrics.coldStart();
        }
        return new SessionPool.Lease(session, continuing ? SessionPool.Start.CONTINUE : SessionPool.Start.FRESH, coldStart);
    }
}
