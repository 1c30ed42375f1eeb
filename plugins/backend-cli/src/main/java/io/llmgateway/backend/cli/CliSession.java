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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.Role;
import io.llmgateway.api.SessionInfo;

/**
 * One CLI process as the pool sees it: its key, its state, what conversation it holds, and how it
 * serves a turn. States change only under the pool's lock; a session serves one turn at a time.
 */
final class CliSession {

    private static final Duration CLEAR_TIMEOUT = Duration.ofSeconds(10);

    private final String id;
    private final SessionKey key;
    private final Origin origin;
    private final Clock clock;
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

    CliSession(String id, SessionKey key, Origin origin, Clock clock) {
        this.id = id;
        this.key = key;
        this.origin = origin;
        this.clock = clock;
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
        process = launcher.launch(id, key);
        try {
            process.control("initialize", timeout);
        } catch (TimeoutException e) {
            throw new IOException("no answer to initialize within " + timeout.toSeconds() + " s"
                                          + stderrSuffix(), e);
        } catch (IOException e) {
            throw new IOException(CliErrors.whyNotStarted(e) + stderrSuffix(), e);
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
     * Serves one request: continues the held conversation with its last message, or starts from a
     * clean context with the whole dialogue in one turn. The request's log line gets the time of the
     * CLI's turn ({@code cli_turn_ms}: user line written to {@code result} read) and of a {@code /clear}
     * done first ({@code cli_reset_ms}), so the gateway's own share of the latency can be told apart.
     *
     * @param conversation the request's dialogue
     * @param continuing   whether this session holds everything before the last message
     * @param exchange     the request (its deadline, its log line)
     * @param sink         where the answer goes
     * @param stops        the request's stop sequences
     * @param budget       the request's token limit
     * @param retryAfter   the delay to suggest on rate limits
     * @return how the turn ended
     */
    TurnOutcome serve(Conversation conversation, boolean continuing, ChatExchange exchange, ChatSink sink,
                      StopMatcher stops, TokenBudget budget, Duration retryAfter) throws InterruptedException {
        requests.incrementAndGet();
        lastUsed = clock.instant();
        if (!continuing && turnsHeld > 0) {
            long resetStart = System.nanoTime();
            boolean cleared = clear();
            exchange.annotateMillis("cli_reset_ms", Duration.ofNanos(System.nanoTime() - resetStart));
            if (!cleared) {
                return new TurnOutcome.Died(false, -1, "could not reset the session (/clear)" + stderrSuffix());
            }
        }
        String text = continuing ? conversation.lastUserText() : conversation.asSingleTurn();
        long turnStart = System.nanoTime();
        TurnOutcome outcome = new CliTurn(process, sink, stops, budget, exchange.deadline(), clock, retryAfter).run(text);
        exchange.annotateMillis("cli_turn_ms", Duration.ofNanos(System.nanoTime() - turnStart));
        turnsHeld++;
        lastActive = clock.instant();
        if (outcome instanceof TurnOutcome.Answered answered && !answered.cut()) {
            List<Conversation.Turn> nowHeld = new ArrayList<>(conversation.turns());
            nowHeld.add(new Conversation.Turn(Role.ASSISTANT, answered.modelText()));
            held = List.copyOf(nowHeld);
        } else {
            held = null;
        }
        return outcome;
    }

    /**
     * Whether the process holds exactly this dialogue, so only the next message needs sending.
     *
     * @param history everything before the request's last message
     * @return true on an exact match
     */
    boolean holds(List<Conversation.Turn> history) {
        List<Conversation.Turn> current = held;
        return !history.isEmpty() && current != null && current.equals(history);
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
        STARTING, IDLE, BUSY, STOPPING, FAILED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isLive() {
            return this == STARTING || this == IDLE || this == BUSY;
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
