package io.llmgateway.backend.cli;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.llmgateway.anthropic.AnthropicStream;
import io.llmgateway.anthropic.AnthropicUsage;
import io.llmgateway.anthropic.StopReason;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.TokenUsage;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * One user turn on a CLI process: sends the message, turns its {@code stream_event} lines into deltas
 * as they arrive (the shared Anthropic mapping, {@link AnthropicStream}), applies stop sequences and
 * {@code max_tokens}, and ends at the turn's {@code result} with the finish reason and usage. Anything that cuts a turn short (a stop sequence, the
 * token limit, the deadline, a client that left) interrupts the CLI and waits for the turn's end, so the
 * process is left ready for the next turn.
 */
final class CliTurn {

    /** How long an interrupted turn may take to end before the process counts as hung. */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

    private final CliProcess process;
    private final ChatSink sink;
    private final StopMatcher stops;
    private final TokenBudget budget;
    private final Instant deadline;
    private final Clock clock;
    private final Duration retryAfter;
    private boolean emitted;
    private final AnthropicStream events;
    private FinishReason cutReason;

    CliTurn(CliProcess process, ChatSink sink, StopMatcher stops, TokenBudget budget, Instant deadline, Clock clock,
            Duration retryAfter) {
        this.process = process;
        this.sink = sink;
        this.stops = stops;
        this.budget = budget;
        this.deadline = deadline;
        this.clock = clock;
        this.retryAfter = retryAfter;
        this.events = new AnthropicStream(this::onDelta);
    }

    TurnOutcome run(String userText) throws InterruptedException {
        process.discardQueuedLines();
        try {
            process.sendUserTurn(userText);
        } catch (IOException e) {
            return died(-1);
        }
        try {
            while (true) {
                Optional<CliProcess.Event> next = process.nextEvent(Duration.between(clock.instant(), deadline));
                if (next.isEmpty()) {
                    return timedOut();
                }
                switch (next.get()) {
                    case CliProcess.Event.Exited exited -> {
                        return died(exited.status());
                    }
                    case CliProcess.Event.Line line when line.type().equals("result") -> {
                        return finish(line.json());
                    }
                    case CliProcess.Event.Line line when line.type().equals("stream_event") -> onStreamEvent(line.json());
                    case CliProcess.Event.Line ignored -> {
                        // init, status, assistant summaries and line types we do not need
                    }
                }
            }
        } catch (ClientDisconnectedException e) {
            return new TurnOutcome.ClientGone(e, interruptAndDrain());
        } catch (GatewayException e) {
            // a middleware refused something mid-stream
            return new TurnOutcome.Failed(e, interruptAndDrain());
        }
    }

    private void onStreamEvent(JsonObject line) {
        if (line.get("event") instanceof JsonObject event) {
            // the CLI reports failures in its result line, so an error event's step is not needed here
            events.accept(event);
        }
    }

    /** The stream's deltas: text goes through the stop sequences and the token budget. */
    private void onDelta(ChatDelta delta) {
        switch (delta) {
            case ChatDelta.Text text -> onText(text.text());
            case ChatDelta.ToolCallFragment ignored -> {
                // no client tools on this backend: a tool_use would be the CLI's own
            }
            default -> sink.emit(delta);
        }
    }

    private void onText(String text) {
        if (cutReason != null) {
            return; // the rest of an answer we already cut off
        }
        emit(budget.take(stops.accept(text)));
        if (stops.matched()) {
            cut(FinishReason.STOP);
        } else if (budget.exhausted()) {
            cut(FinishReason.LENGTH);
        }
    }

    private void cut(FinishReason reason) {
        cutReason = reason;
        process.controlWithoutWaiting("interrupt");
    }

    private TurnOutcome finish(JsonObject result) {
        // a turn the gateway cut short ends as interrupted; that is not a failure
        if (cutReason == null && result.getBoolean("is_error", false)) {
            return new TurnOutcome.Failed(CliErrors.fromResult(result, retryAfter), true);
        }
        if (cutReason == null && !"success".equals(result.getString("subtype", ""))) {
            return new TurnOutcome.Failed(CliErrors.unfinished(result), true);
        }
        try {
            if (cutReason == null) {
                emit(budget.take(stops.flush()));
            }
            sink.emit(new ChatDelta.Finish(finishReason(result)));
            sink.emit(new ChatDelta.Usage(usage(result)));
        } catch (ClientDisconnectedException e) {
            return new TurnOutcome.ClientGone(e, true);
        }
        return new TurnOutcome.Answered(result.getString("result", ""), cutReason != null);
    }

    private FinishReason finishReason(JsonObject result) {
        if (cutReason != null) {
            return cutReason;
        }
        Optional<String> reason = result.get("stop_reason") instanceof JsonString string
                ? Optional.of(string.getString()) : events.stopReason();
        return StopReason.finishReasonOf(reason);
    }

    private static TokenUsage usage(JsonObject result) {
        return AnthropicUsage.of(result.get("usage") instanceof JsonObject usage ? usage : JsonValue.EMPTY_JSON_OBJECT);
    }

    private void emit(String text) {
        if (!text.isEmpty()) {
            sink.emit(new ChatDelta.Text(text));
            emitted = true;
        }
    }

    private TurnOutcome timedOut() throws InterruptedException {
        boolean ended = interruptAndDrain();
        return new TurnOutcome.Failed(GatewayException.timeout(
                "The cli backend did not finish the answer within LLM_REQUEST_TIMEOUT"), ended);
    }

    private TurnOutcome died(int status) {
        return new TurnOutcome.Died(emitted, status, process.stderrTail());
    }

    /** Interrupts the turn and reads until its result; false when the process does not end it in time. */
    private boolean interruptAndDrain() {
        process.controlWithoutWaiting("interrupt");
        Instant until = clock.instant().plus(INTERRUPT_GRACE);
        try {
            while (true) {
                Optional<CliProcess.Event> next = process.nextEvent(Duration.between(clock.instant(), until));
                if (next.isEmpty() || next.get() instanceof CliProcess.Event.Exited) {
                    return false;
                }
                if (next.get() instanceof CliProcess.Event.Line line && line.type().equals("result")) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
