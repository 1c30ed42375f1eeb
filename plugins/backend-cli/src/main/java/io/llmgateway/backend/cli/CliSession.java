package io.llmgateway.backend.cli;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.Role;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.api.ToolCall;

/**
 * One CLI process as the pool sees it: its key, its state, what conversation it holds (and with which of the
 * client's functions listed), and how it serves a turn. A turn whose model called the client's functions waits
 * for their results ({@link State#AWAITING_TOOLS}), holding the calls in its {@link ToolHost}. States change only
 * under the pool's lock; a session serves one turn at a time.
 */
final class CliSession {

    private static final Duration CLEAR_TIMEOUT = Duration.ofSeconds(10);
    /** How long a process that failed at start is given to finish its stderr, which says why. */
    private static final Duration STDERR_WAIT = Duration.ofSeconds(1);

    private final String id;
    private final SessionKey key;
    private final Origin origin;
    private final Clock clock;
    private final PoolMetrics metrics;
    private final Allowance allowance;
    private final ToolHost tools = new ToolHost();
    private final Instant created;
    private final AtomicLong requests = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile CliProcess process;
    private volatile Instant lastUsed;
    private volatile Instant lastActive;
    private volatile Instant failedAt;
    private volatile int turnsHeld;
    /** The dialogue the process's context holds, or null when unknown (a cut or interrupted turn). */
    private volatile List<Conversation.Turn> held = List.of();
    /** The functions listed while the held conversation went on. */
    private volatile ToolSet heldTools = ToolSet.NONE;
    /** The ids of the tool calls the turn waits on, while awaiting tools. */
    private volatile Set<String> awaitedCalls = Set.of();
    private volatile Instant awaitingUntil = Instant.MAX;

    CliSession(String id, SessionKey key, Origin origin, Clock clock, PoolMetrics metrics, Allowance allowance) {
        this.id = id;
        this.key = key;
        this.origin = origin;
        this.clock = clock;
        this.metrics = metrics;
        this.allowance = allowance;
        this.created = clock.instant();
        this.lastActive = created;
    }

    /**
     * Spawns the process and waits until it answers {@code initialize}: then it is warm.
     *
     * @param launcher starts the process
     * @param timeout  how long the cold start may take
     * @throws IOException when it cannot start or does not answer in time
     */
    void start(CliLauncher launcher, Duration timeout) throws IOException, InterruptedException {
        process = launcher.launch(id, key, tools);
        try {
            process.control("initialize", timeout);
        } catch (TimeoutException e) {
            throw new IOException("no answer to initialize within " + timeout.toSeconds() + " s"
                                          + stderrSuffix(), e);
        } catch (IOException e) {
            String tail = process.stderrTailAfterExit(STDERR_WAIT);
            throw new IOException(CliErrors.whyNotStarted(e) + (tail.isEmpty() ? "" : "; stderr: " + tail), e);
        }
        lastActive = clock.instant();
    }

    /**
     * Sends a control request that costs no tokens.
     *
     * @param timeout how long to wait for the answer
     * @return true when the process answered
     */
    boolean ping(Duration timeout) throws InterruptedException {
        try {
            process.control("mcp_status", timeout);
            lastActive = clock.instant();
            return true;
        } catch (IOException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Serves one request: resumes a turn waiting for the tool results the request brings, continues the held
     * conversation with its last message, or starts from a clean context (after a {@code /clear} when the
     * context is not) with the whole dialogue in one turn, listing the request's functions first. The
     * request's log line gets the time of the CLI's turn ({@code cli_turn_ms}: user line written, or results
     * given, to the answer's end) and of a {@code /clear} done first ({@code cli_reset_ms}), so the gateway's
     * own share of the latency can be told apart, and the subscription's allowance when the turn's
     * {@code rate_limit_event} says it is near or at its limit ({@code cli_usage}).
     *
     * @param conversation the request's dialogue
     * @param start        how the lease says to begin
     * @param requestTools the functions to list and the note steering the model's choice
     * @param exchange     the request (its deadline, its log line)
     * @param sink         where the answer goes
     * @param stops        the request's stop sequences
     * @param budget       the request's token limit
     * @param retryAfter   the delay to suggest on rate limits
     * @return how the turn (or this part of it) ended
     */
    TurnOutcome serve(Conversation conversation, SessionPool.Start start, RequestTools requestTools,
                      ChatExchange exchange, ChatSink sink, StopMatcher stops, TokenBudget budget, Duration retryAfter)
            throws InterruptedException {
        requests.incrementAndGet();
        lastUsed = clock.instant();
        CliTurn turn = new CliTurn(process, requestTools.offered(), key.jsonSchema().isPresent(),
                                   exchange.request().stream(), sink, stops, budget, exchange.deadline(), clock,
                                   retryAfter);
        TurnOutcome outcome;
        long turnStart;
        if (start == SessionPool.Start.RESUME) {
            turnStart = System.nanoTime();
            outcome = turn.resume(tools, conversation.toolResults());
        } else {
            if (start == SessionPool.Start.FRESH && turnsHeld > 0) {
                long resetStart = System.nanoTime();
                boolean cleared = clear();
                exchange.annotateMillis("cli_reset_ms", Duration.ofNanos(System.nanoTime() - resetStart));
                if (!cleared) {
                    return new TurnOutcome.Died(false, -1, "could not reset the session (/clear)" + stderrSuffix());
                }
            }
            try {
                tools.offer(process, requestTools.offered());
            } catch (IOException e) {
                return new TurnOutcome.Died(false, -1, "could not list the request's functions: " + e.getMessage()
                        + stderrSuffix());
            }
            tools.forgetCalls();
            turnStart = System.nanoTime();
            outcome = turn.start(conversation.userTurn(start == SessionPool.Start.CONTINUE, requestTools.instruction()));
        }
        exchange.annotateMillis("cli_turn_ms", Duration.ofNanos(System.nanoTime() - turnStart));
        turn.reported().ifPresent(info -> {
            allowance.reported(info);
            if (!info.status().equals("allowed")) {
                exchange.annotate("cli_usage", info.describe());
            }
        });
        turnsHeld++;
        lastActive = clock.instant();
        remember(conversation, requestTools.offered(), outcome);
        return outcome;
    }

    /** What the context holds after a turn: the dialogue and the answer, unless the answer was cut or failed. */
    void remember(Conversation conversation, ToolSet offered, TurnOutcome outcome) {
        List<Conversation.Turn> nowHeld = new ArrayList<>(conversation.turns());
        switch (outcome) {
            case TurnOutcome.Answered answered when !answered.cut() -> {
                nowHeld.add(Conversation.Turn.assistant(answered.modelText(), List.of()));
                held = List.copyOf(nowHeld);
                awaitedCalls = Set.of();
            }
            case TurnOutcome.AwaitingTools awaiting -> {
                nowHeld.add(Conversation.Turn.assistant(awaiting.modelText(), awaiting.calls()));
                held = List.copyOf(nowHeld);
                awaitedCalls = Set.copyOf(awaiting.calls().stream().map(ToolCall::id).toList());
            }
            default -> {
                held = null;
                awaitedCalls = Set.of();
            }
        }
        heldTools = offered;
    }

    /**
     * Whether the process holds exactly the conversation a request continues, with the same functions listed,
     * and (for a request answering tool calls) waits for exactly those calls, so only the request's new input
     * needs sending.
     *
     * @param affinity what the request needs held
     * @return true on an exact match
     */
    boolean holds(Affinity affinity) {
        List<Conversation.Turn> current = held;
        return !affinity.history().isEmpty() && current != null && current.equals(affinity.history())
                && heldTools.equals(affinity.tools()) && awaitedCalls.equals(affinity.answeredCalls());
    }

    /**
     * Marks the session as waiting for its turn's tool results until a time.
     *
     * @param until when the wait ends
     */
    void awaitTools(Instant until) {
        awaitingUntil = until;
        state(State.AWAITING_TOOLS);
    }

    /** When the wait for tool results ends, while awaiting them. */
    Instant awaitingUntil() {
        return awaitingUntil;
    }

    /**
     * Gives up on a turn that waits for tool results: interrupts it (the CLI cancels the pending calls), reads to
     * its end and resets the context.
     *
     * @return false when the process does not end the turn or come back from {@code /clear} in time
     */
    boolean abandonTurn() throws InterruptedException {
        boolean ended = CliTurn.interruptAndDrain(process, clock);
        tools.forgetCalls();
        held = null;
        awaitedCalls = Set.of();
        return ended && clear();
    }

    /**
     * Whether the process holds a conversation its client has continued (more than one exchange): one likely
     * to be continued again, so the pool does not throw it away lightly.
     */
    boolean holdsOngoingConversation() {
        List<Conversation.Turn> current = held;
        return current != null && current.size() > 2;
    }

    /** Whether the process's context is empty, so a new dialogue needs no {@code /clear} first. */
    boolean isClean() {
        return turnsHeld == 0;
    }

    /** Resets the process's context with {@code /clear}; false when it does not come back in time. */
    boolean clear() throws InterruptedException {
        process.discardQueuedLines();
        try {
            process.sendUserTurn("/clear");
        } catch (IOException e) {
            return false;
        }
        Instant until = clock.instant().plus(CLEAR_TIMEOUT);
        while (true) {
            Optional<CliProcess.Event> next = process.nextEvent(Duration.between(clock.instant(), until));
            if (next.isEmpty() || next.get() instanceof CliProcess.Event.Exited) {
                return false;
            }
            if (next.get() instanceof CliProcess.Event.Line line && line.type().equals("result")) {
                turnsHeld = 0;
                held = List.of();
                awaitedCalls = Set.of();
                tools.forgetCalls();
                metrics.reset();
                return true;
            }
        }
    }

    void stop(Duration grace) {
        if (process != null) {
            process.stop(grace);
        }
    }

    void kill() {
        if (process != null) {
            process.kill();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Optional<CliProcess> process() {
        return Optional.ofNullable(process);
    }

    SessionInfo info() {
        CliProcess current = process;
        return new SessionInfo(id, state.wireName(), current == null ? OptionalLong.empty() : OptionalLong.of(current.pid()),
                               key.model(), origin.wireName(), created, Optional.ofNullable(lastUsed), requests.get(),
                               turnsHeld);
    }

    String id() {
        return id;
    }

    SessionKey key() {
        return key;
    }

    Origin origin() {
        return origin;
    }

    State state() {
        return state;
    }

    void state(State next) {
        state = next;
        if (next == State.FAILED) {
            failedAt = clock.instant();
        }
    }

    long requestCount() {
        return requests.get();
    }

    Instant lastActive() {
        return lastActive;
    }

    Instant idleSince() {
        return lastUsed == null ? created : lastUsed;
    }

    Optional<Instant> failedAt() {
        return Optional.ofNullable(failedAt);
    }

    private String stderrSuffix() {
        String tail = process == null ? "" : process.stderrTail();
        return tail.isEmpty() ? "" : "; stderr: " + tail;
    }

    /** Session states, as {@code /sessions} and {@code llm_sessions_total} name them. */
    enum State {
        STARTING, IDLE, BUSY, AWAITING_TOOLS, STOPPING, FAILED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isLive() {
            return this == STARTING || this == IDLE || this == BUSY || this == AWAITING_TOOLS;
        }
    }

    /** Why a session exists: the pre-warmed pool, or load beyond it. */
    enum Origin {
        WARM, OVERFLOW;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
