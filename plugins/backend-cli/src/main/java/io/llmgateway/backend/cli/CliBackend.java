package io.llmgateway.backend.cli;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.Capacity;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.SessionInfo;

import jakarta.json.JsonValue;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Serves chat completions from the session pool: one CLI turn per request (or, with the client's functions,
 * one part of a turn: up to the model's calls, then from their results on), retried once on another session
 * when a process dies before the client saw anything (for a non-streamed request, at any point of its turn:
 * its answer is held back until the turn ends). A turn the subscription's usage limit refused fails the request
 * with {@link FailureKind#QUOTA_EXHAUSTED} and makes the pool refuse the next ones at once until the reset.
 */
final class CliBackend implements Backend {

    private static final long CREATED = 1_735_689_600L; // 2025-01-01, fixed so listings are stable
    private static final List<ModelInfo> MODELS = List.of(
            new ModelInfo("claude-sonnet", "anthropic (claude cli)", CREATED),
            new ModelInfo("claude-opus", "anthropic (claude cli)", CREATED),
            new ModelInfo("claude-haiku", "anthropic (claude cli)", CREATED));

    private final CliSettings settings;
    private final SessionPool pool;
    private final Clock clock;
    private final System.Logger log;

    CliBackend(CliSettings settings, SessionPool pool, Clock clock, System.Logger log) {
        this.settings = settings;
        this.pool = pool;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public List<ModelInfo> models() {
        return MODELS;
    }

    /** Any {@code claude-*} id; it reaches {@code --model}, so only plain id characters are accepted. */
    @Override
    public boolean serves(String model) {
        return model.startsWith("claude-") && model.length() <= 100 && model.chars().allMatch(
                c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '@');
    }

    @Override
    public void chat(ChatExchange exchange, ChatSink sink) {
        ChatRequest request = exchange.request();
        if (request.body().get("logprobs") == JsonValue.TRUE) {
            throw GatewayException.invalidRequest("The cli backend cannot return logprobs", "logprobs");
        }
        RequestTools tools = RequestTools.of(request.body());
        Optional<String> schema = ResponseSchema.of(request.body());
        Conversation conversation = Conversation.of(request, settings.defaultSystemPrompt());
        SessionKey key = new SessionKey(request.model(), conversation.systemPrompt(), schema);
        Affinity affinity = new Affinity(conversation.history(), tools.offered(), conversation.toolResults().keySet());
        try {
            for (int attempt = 1; ; attempt++) {
                // a whole answer is held back until its turn ends, so a session dying half-way costs a retry, not a 502
                PendingAnswer pending = request.stream() ? null : new PendingAnswer();
                TurnOutcome outcome = serveOnce(exchange, pending == null ? sink : pending, conversation, tools, key,
                                                affinity);
                switch (outcome) {
                    case TurnOutcome.Answered answered -> {
                        if (pending != null) {
                            pending.deliverTo(sink);
                        }
                        return;
                    }
                    case TurnOutcome.AwaitingTools awaiting -> {
                        if (pending != null) {
                            pending.deliverTo(sink);
                        }
                        return;
                    }
                    case TurnOutcome.Failed failed -> throw failed.error();
                    case TurnOutcome.OutOfUsage out -> throw out.limit().failure(clock.instant());
                    case TurnOutcome.ClientGone gone -> throw gone.cause();
                    case TurnOutcome.Died died -> {
                        if (pending == null && died.emittedAnything()) {
                            throw GatewayException.badGateway("The claude session serving this request died mid-answer")
                                    .withFailureKind(FailureKind.SERVER);
                        }
                        if (attempt > 1) {
                            throw GatewayException.badGateway("The claude session serving this request died, and so did"
                                                                      + " the one it was retried on")
                                    .withFailureKind(FailureKind.SERVER);
                        }
                        log.log(WARNING, "request " + exchange.requestId() + ": session died before the client saw"
                                + " anything (status " + died.exitStatus()
                                + (died.stderr().isEmpty() ? "" : ", stderr: " + died.stderr())
                                + "); retrying on another session");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.unavailable("The gateway is shutting down", Optional.empty());
        }
    }

    private TurnOutcome serveOnce(ChatExchange exchange, ChatSink sink, Conversation conversation, RequestTools tools,
                                  SessionKey key, Affinity affinity) throws InterruptedException {
        ChatRequest request = exchange.request();
        SessionPool.Lease lease = pool.acquire(key, affinity, exchange.deadline(), exchange::clientGone);
        CliSession session = lease.session();
        if (exchange.clientGone()) {
            pool.giveBack(lease); // nothing was sent to it yet: it serves the next request as it is
            throw SessionPool.clientLeft();
        }
        exchange.annotate("session", session.id());
        if (lease.coldStart()) {
            exchange.annotate("cold_start", "true");
        }
        if (lease.continuing()) {
            exchange.annotate("affinity", "true");
        }
        if (lease.start() == SessionPool.Start.RESUME) {
            exchange.annotate("tool_continuation", "true");
        }
        TurnOutcome outcome = null;
        try {
            outcome = session.serve(conversation, lease.start(), tools, exchange, sink, new StopMatcher(request.stop()),
                                    new TokenBudget(request.maxTokens()), settings.retryAfter());
            return outcome;
        } finally {
            if (outcome instanceof TurnOutcome.AwaitingTools) {
                pool.park(session);
            } else {
                if (outcome instanceof TurnOutcome.OutOfUsage out) {
                    pool.usageLimitReached(out.limit()); // before the session is free, so no waiter sends it a turn
                }
                pool.release(session, isUsable(outcome), reasonOf(outcome));
            }
        }
    }

    @Override
    public BackendHealth health() {
        return pool.health();
    }

    /** Idle sessions now, out of the pool and its overflow (none free while the usage limit holds). */
    @Override
    public Optional<Capacity> capacity() {
        return Optional.of(pool.capacity());
    }

    @Override
    public List<SessionInfo> sessions() {
        return pool.sessions();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static boolean isUsable(TurnOutcome outcome) {
        return switch (outcome) {
            case TurnOutcome.Answered answered -> true;
            case TurnOutcome.AwaitingTools awaiting -> true;
            case TurnOutcome.Failed failed -> failed.sessionUsable();
            case TurnOutcome.OutOfUsage out -> true;
            case TurnOutcome.ClientGone gone -> gone.sessionUsable();
            case TurnOutcome.Died died -> false;
            case null -> false;
        };
    }

    private static String reasonOf(TurnOutcome outcome) {
        return switch (outcome) {
            case TurnOutcome.Died died -> "its process exited during a turn (status " + died.exitStatus() + ")";
            case null -> "its turn failed unexpectedly";
            default -> "its turn did not end within " + CliTurn.INTERRUPT_GRACE.toSeconds() + " s of an interrupt";
        };
    }
}
