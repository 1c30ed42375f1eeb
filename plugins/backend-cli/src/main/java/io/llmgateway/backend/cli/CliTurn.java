package io.llmgateway.backend.cli;

import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import io.llmgateway.api.ToolCall;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * One part of a CLI turn as one answer to the client: sends the user message (or, resuming a turn that waits
 * for tool results, hands the results to the session's {@link ToolHost}), turns the {@code stream_event} lines
 * of each model message into deltas as they arrive (the shared Anthropic mapping, {@link AnthropicStream}),
 * applies stop sequences and {@code max_tokens} to the text, and ends either at the turn's {@code result}
 * (finish reason and usage) or at the end of a model message that calls the client's functions (finish
 * reason {@code tool_calls}, the CLI's turn still going on). Calls of tools that are not the client's (the
 * CLI's {@code StructuredOutput}, a function the model made up) are not passed on: the CLI deals with them.
 * With a response schema the answer is the turn's checked {@code structured_output}, not the model's text; a
 * streamed answer gets the model's {@code StructuredOutput} input as it is written, which must then be that
 * document (when the CLI refused it and asked again, the answer fails: what was sent is not valid). Anything
 * that cuts a turn short (a stop sequence, the token limit, the deadline, a client that left) interrupts the
 * CLI and waits for the turn's end, so the process is left ready for the next turn.
 */
final class CliTurn {

    /** How long an interrupted turn may take to end before the process counts as hung. */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

    private final CliProcess process;
    private final ToolSet tools;
    private final boolean structured;
    /** Whether the client reads the answer as it is written (else only the checked document is its answer). */
    private final boolean streamed;
    private final ChatSink sink;
    private final StopMatcher stops;
    private final TokenBudget budget;
    private final Instant deadline;
    private final Clock clock;
    private final Duration retryAfter;
    private final StringBuilder answered = new StringBuilder();
    /** The CLI's own tool for a response schema: its input, as the model writes it, is the answer. */
    static final String STRUCTURED_OUTPUT = "StructuredOutput";
    /** The stream's tool index of a {@code StructuredOutput} call in {@link #clientIndex}. */
    private static final int STRUCTURED_CALL = -2;
    /** Per model message: the stream's tool index to the client's call index, -1 for a tool not the client's. */
    private final Map<Integer, Integer> clientIndex = new HashMap<>();
    private final List<CallInProgress> calls = new ArrayList<>();
    private AnthropicStream message;
    private TokenUsage partUsage = TokenUsage.of(0, 0);
    private Optional<String> lastStopReason = Optional.empty();
    private boolean resumed;
    private boolean emitted;
    private FinishReason cutReason;
    /** The {@code StructuredOutput} inputs the model began: a second means the CLI refused the first. */
    private int structuredCalls;
    private final StringBuilder structuredText = new StringBuilder();
    /** The allowance the turn's last {@code rate_limit_event} reported. */
    private RateLimitInfo reported;
    /** The synthetic {@code assistant} line the CLI writes for a failed API call, or an empty object. */
    private JsonObject apiErrorNotice = JsonValue.EMPTY_JSON_OBJECT;

    CliTurn(CliProcess process, ToolSet tools, boolean structured, boolean streamed, ChatSink sink, StopMatcher stops,
            TokenBudget budget, Instant deadline, Clock clock, Duration retryAfter) {
        this.process = process;
        this.tools = tools;
        this.structured = structured;
        this.streamed = streamed;
        this.sink = sink;
        this.stops = stops;
        this.budget = budget;
        this.deadline = deadline;
        this.clock = clock;
        this.retryAfter = retryAfter;
    }

    /**
     * Starts a turn with a user message.
     *
     * @param content the message's content (a string, or text and image blocks)
     * @return how this part of the turn ended
     */
    TurnOutcome start(JsonValue content) throws InterruptedException {
        process.discardQueuedLines();
        try {
            process.sendUserTurn(content);
        } catch (IOException e) {
            return died(-1);
        }
        return read();
    }

    /**
     * Goes on with a turn that waits for tool results: gives the results to the pending calls and reads on.
     *
     * @param host    the session's MCP server, holding the calls
     * @param results the client's results by call id
     * @return how this part of the turn ended
     */
    TurnOutcome resume(ToolHost host, Map<String, String> results) throws InterruptedException {
        resumed = true;
        results.forEach((id, text) -> host.answer(process, id, text));
        return read();
    }

    private TurnOutcome read() throws InterruptedException {
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
                    case CliProcess.Event.Line line when line.type().equals("stream_event") -> {
                        Optional<TurnOutcome> calling = onStreamEvent(line.json());
                        if (calling.isPresent()) {
                            return calling.get();
                        }
                    }
                    case CliProcess.Event.Line line when line.type().equals("rate_limit_event") ->
                            RateLimitInfo.of(line.json().get("rate_limit_info")).ifPresent(info -> reported = info);
                    case CliProcess.Event.Line line when line.type().equals("assistant")
                            && line.json().getBoolean("is_api_error_message", false) -> apiErrorNotice = line.json();
                    case CliProcess.Event.Line ignored -> {
                        // init, status, assistant summaries, tool results and line types we do not need
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

    /** One stream event; a model message that ends calling the client's functions ends this answer. */
    private Optional<TurnOutcome> onStreamEvent(JsonObject line) {
        if (!(line.get("event") instanceof JsonObject event)) {
            return Optional.empty();
        }
        if (message == null || event.getString("type", "").equals("message_start")) {
            message = new AnthropicStream(this::onDelta);
            clientIndex.clear();
        }
        // the CLI reports failures in its result line, so an error event's step is not needed here
        if (message.accept(event) != AnthropicStream.Step.ENDED) {
            return Optional.empty();
        }
        AnthropicStream ended = message;
        message = null;
        partUsage = plus(partUsage, ended.usage());
        lastStopReason = ended.stopReason();
        if (cutReason == null && !calls.isEmpty() && ended.finishReason() == FinishReason.TOOL_CALLS) {
            return Optional.of(awaitTools());
        }
        return Optional.empty();
    }

    /** The stream's deltas: text goes through the stop sequences and the token budget, the client's calls on. */
    private void onDelta(ChatDelta delta) {
        switch (delta) {
            case ChatDelta.Text text -> {
                if (!structured) {
                    onText(text.text());
                }
            }
            case ChatDelta.ToolCallFragment fragment -> onToolCall(fragment);
            default -> {
                // finish and usage: this class ends the answer itself
            }
        }
    }

    private void onToolCall(ChatDelta.ToolCallFragment fragment) {
        if (cutReason != null) {
            return;
        }
        if (fragment.name().isPresent()) {
            Optional<String> name = tools.clientName(fragment.name().get());
            if (structured && name.isEmpty() && fragment.name().get().equals(STRUCTURED_OUTPUT)) {
                clientIndex.put(fragment.index(), STRUCTURED_CALL);
                structuredCalls++;
                return;
            }
            if (name.isEmpty()) {
                clientIndex.put(fragment.index(), -1);
                return;
            }
            emit(budget.take(stops.flush())); // the text before the calls is complete
            int index = calls.size();
            clientIndex.put(fragment.index(), index);
            calls.add(new CallInProgress(fragment.id().orElse(""), name.get()));
            sink.emit(new ChatDelta.ToolCallFragment(index, fragment.id(), name, ""));
            emitted = true;
            return;
        }
        Integer index = clientIndex.get(fragment.index());
        if (index != null && index == STRUCTURED_CALL && structuredCalls == 1 && streamed) {
            // streamed as the model writes it; should the CLI refuse it and ask again, the turn fails (see finish)
            structuredText.append(fragment.arguments());
            emit(fragment.arguments());
        } else if (index != null && index >= 0) {
            calls.get(index).arguments().append(fragment.arguments());
            sink.emit(new ChatDelta.ToolCallFragment(index, Optional.empty(), Optional.empty(), fragment.arguments()));
        }
    }

    private TurnOutcome awaitTools() {
        List<ToolCall> made = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            CallInProgress call = calls.get(i);
            if (call.arguments().isEmpty()) { // a call without input: OpenAI clients parse the arguments
                call.arguments().append("{}");
                sink.emit(new ChatDelta.ToolCallFragment(i, Optional.empty(), Optional.empty(), "{}"));
            }
            made.add(new ToolCall(call.id(), call.name(), call.arguments().toString()));
        }
        sink.emit(new ChatDelta.Finish(FinishReason.TOOL_CALLS));
        sink.emit(new ChatDelta.Usage(partUsage));
        return new TurnOutcome.AwaitingTools(answered.toString(), made);
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
            // the notice's text never reaches the client: the CLI writes no stream events for it
            Optional<UsageLimit> limit = UsageLimit.ofRefusedTurn(result, apiErrorNotice, reported(), clock.instant(),
                                                                  retryAfter);
            if (limit.isPresent()) {
                return new TurnOutcome.OutOfUsage(limit.get());
            }
            return new TurnOutcome.Failed(CliErrors.fromResult(result, apiErrorNotice), true);
        }
        if (cutReason == null && !"success".equals(result.getString("subtype", ""))) {
            return new TurnOutcome.Failed(CliErrors.unfinished(result), true);
        }
        try {
            if (structured && cutReason == null) {
                if (!(result.get("structured_output") instanceof JsonObject output)) {
                    return new TurnOutcome.Failed(GatewayException.badGateway(
                            "The model did not give an answer that matches the response_format schema"), true);
                }
                if (!streamed || structuredCalls == 0) {
                    emit(output.toString()); // the checked document, as nothing of it was streamed
                } else if (structuredCalls > 1 || !parsed(structuredText).equals(Optional.of(output))) {
                    return new TurnOutcome.Failed(GatewayException.badGateway(
                            "The model's first answer did not match the response_format schema; the document sent so"
                                    + " far is not valid"), true);
                }
            } else if (cutReason == null) {
                emit(budget.take(stops.flush()));
            }
            sink.emit(new ChatDelta.Finish(finishReason(result)));
            sink.emit(new ChatDelta.Usage(resumed ? partUsage : usage(result)));
        } catch (ClientDisconnectedException e) {
            return new TurnOutcome.ClientGone(e, true);
        }
        return new TurnOutcome.Answered(answered.toString(), cutReason != null);
    }

    /**
     * What the turn's last {@code rate_limit_event} said about the subscription's allowance.
     *
     * @return the allowance, empty when the turn reported none (the CLI reports only changes)
     */
    Optional<RateLimitInfo> reported() {
        return Optional.ofNullable(reported);
    }

    private FinishReason finishReason(JsonObject result) {
        if (cutReason != null) {
            return cutReason;
        }
        Optional<String> reason = result.get("stop_reason") instanceof JsonString string
                ? Optional.of(string.getString()) : lastStopReason;
        FinishReason finish = StopReason.finishReasonOf(reason);
        // a turn that ends waits for no calls of the client (its last calls were the CLI's own, StructuredOutput)
        return finish == FinishReason.TOOL_CALLS ? FinishReason.STOP : finish;
    }

    private static Optional<JsonValue> parsed(CharSequence text) {
        try (JsonReader reader = CliProcess.JSON.createReader(new StringReader(text.toString()))) {
            return Optional.of(reader.readValue());
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    private static TokenUsage usage(JsonObject result) {
        return AnthropicUsage.of(result.get("usage") instanceof JsonObject usage ? usage : JsonValue.EMPTY_JSON_OBJECT);
    }

    private static TokenUsage plus(TokenUsage a, TokenUsage b) {
        return new TokenUsage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens(),
                              a.cachedPromptTokens() + b.cachedPromptTokens());
    }

    private void emit(String text) {
        if (!text.isEmpty()) {
            sink.emit(new ChatDelta.Text(text));
            answered.append(text);
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
        return interruptAndDrain(process, clock);
    }

    /**
     * Interrupts a process's turn and reads until its result (a turn the gateway gives up on).
     *
     * @param process the process
     * @param clock   the pool's clock
     * @return false when the process does not end the turn within {@link #INTERRUPT_GRACE}
     */
    static boolean interruptAndDrain(CliProcess process, Clock clock) {
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

    /** A client call as its fragments arrive. */
    private record CallInProgress(String id, String name, StringBuilder arguments) {
        CallInProgress(String id, String name) {
            this(id, name, new StringBuilder());
        }
    }
}
