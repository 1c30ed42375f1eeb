package io.llmgateway.testing;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.llmgateway.testing.Reply.Usage;

import jakarta.json.JsonObject;

/**
 * One fake CLI process's protocol: reads stdin lines on the calling thread, answers control requests at
 * once, and runs user turns one at a time on a turn thread, so that an {@code interrupt} can arrive while
 * a turn streams. The conversation (since start or the last {@code /clear}) lives on the turn thread.
 */
final class CliSession {
    private static final String SLOW_MARKER = "[[slow]]";
    private static final String LONG_MARKER = "[[long]]";
    private static final Duration SLOW_DELTA_DELAY = Duration.ofMillis(200);
    private static final String LONG_REPLY = IntStream.rangeClosed(1, 200).mapToObj(i -> "word" + i)
            .collect(Collectors.joining(" "));
    /** What the terminal UI prints on {@code /clear}: clear screen, clear scrollback, cursor home. */
    private static final String CLEAR_SCREEN = "\u001b[2J\u001b[3J\u001b[H";
    /** How the CLI names the reset of a five-hour window ({@code 5:37pm}) and of a weekly one ({@code Dec 6, 4:37pm}). */
    private static final DateTimeFormatter FIVE_HOUR_RESET = DateTimeFormatter.ofPattern("h:mma", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WEEKLY_RESET = DateTimeFormatter.ofPattern("MMM d, h:mma", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** How long a hung process outlives its stdin, so a leaked one does not live forever. */
    private static final Duration HUNG_LIFETIME = Duration.ofMinutes(10);

    private final Behaviour behaviour;
    private final String model;
    private final String systemPrompt;
    private final CliOutput out;
    private final ExecutorService turnThread = Executors.newSingleThreadExecutor();
    private volatile Turn streaming;
    /** User turns read from stdin, {@code /clear} not included (the reading thread's). */
    private int turnLines;

    // state of the turn thread
    private String sessionId = UUID.randomUUID().toString();
    private final List<String> conversation = new ArrayList<>();
    private int turnsReceived;
    private int conversationTurns;
    /** The allowance last reported in a {@code rate_limit_event}: the real CLI writes one only when it changes. */
    private JsonObject reportedAllowance;

    CliSession(Behaviour behaviour, String model, String systemPrompt, CliOutput out) {
        this.behaviour = behaviour;
        this.model = model;
        this.systemPrompt = systemPrompt;
        this.out = out;
    }

    /** Serves stdin until it closes, then finishes the queued turns. */
    void run(BufferedReader stdin) throws IOException, InterruptedException {
        try (OutputStream transcript = behaviour.transcript() == null ? null
                : new FileOutputStream(behaviour.transcriptFile(ProcessHandle.current().pid()).toFile(), true)) {
            for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
                if (transcript != null) {
                    transcript.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    transcript.flush();
                }
                JsonObject message = Jsons.parseObject(line);
                if (message == null) {
                    System.err.println("fake-claude: ignoring a line that is not a JSON object: " + line);
                } else if ("control_request".equals(Jsons.string(message, "type"))) {
                    control(message);
                } else if ("user".equals(Jsons.string(message, "type"))) {
                    String text = message.get("message") instanceof JsonObject user ? Jsons.text(user.get("content")) : "";
                    turnThread.execute(() -> turnOrClear(text));
                    if (!text.strip().equals("/clear") && ++turnLines == behaviour.stopReadingOnTurn()) {
                        Thread.sleep(HUNG_LIFETIME); // stdin is never read again: the writer's pipe fills up
                    }
                }
            }
        }
        turnThread.shutdown();
        turnThread.awaitTermination(1, TimeUnit.HOURS);
        if (out.silenced()) {
            Thread.sleep(HUNG_LIFETIME);
        }
    }

    private void control(JsonObject message) {
        String requestId = Jsons.string(message, "request_id");
        String subtype = message.get("request") instanceof JsonObject request ? Jsons.string(request, "subtype") : null;
        switch (subtype == null ? "" : subtype) {
            case "initialize" -> out.json(CliMessages.controlSuccess(requestId, Jsons.object()
                    .add("commands", Jsons.array())
                    .add("pid", ProcessHandle.current().pid())
                    .build()));
            case "mcp_status" -> {
                if (!behaviour.hangOnPing()) {
                    out.json(CliMessages.controlSuccess(requestId, Jsons.object().add("mcpServers", Jsons.array()).build()));
                }
            }
            case "interrupt" -> {
                out.json(CliMessages.controlSuccess(requestId, Jsons.object().add("still_queued", Jsons.array()).build()));
                Turn turn = streaming;
                if (turn != null) {
                    turn.interrupt();
                }
            }
            default -> out.json(CliMessages.controlError(requestId, "Unsupported control request subtype: " + subtype));
        }
    }

    private void turnOrClear(String text) {
        if (text.strip().equals("/clear")) {
            clear();
            return;
        }
        Turn turn = new Turn();
        streaming = turn;
        try {
            turn(text, turn);
        } finally {
            streaming = null;
        }
    }

    private void clear() {
        long started = System.nanoTime();
        try {
            Thread.sleep(behaviour.clearDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String previous = sessionId;
        sessionId = UUID.randomUUID().toString();
        conversation.clear();
        conversationTurns = 0;
        out.json(CliMessages.conversationReset(previous));
        out.json(CliMessages.backgroundTasksChanged(previous));
        out.text(CLEAR_SCREEN);
        out.json(CliMessages.init(sessionId, model, systemPrompt));
        out.json(CliMessages.cleared(sessionId, millisSince(started)));
    }

    private void turn(String text, Turn turn) {
        long started = System.nanoTime();
        int number = ++turnsReceived;
        conversationTurns++;
        conversation.add(text);
        int held = conversation.size();
        out.json(CliMessages.init(sessionId, model, systemPrompt));
        out.json(CliMessages.requesting(sessionId));
        garbage();
        if (number == behaviour.hangOnTurn()) {
            out.silence();
            return;
        }
        if (number == behaviour.errorOnTurn()) {
            apiError(behaviour.errorStatus(), held, started);
            return;
        }
        Behaviour.UsageLimit limit = behaviour.usageLimit();
        if (limit != null && limit.refuses(number, Instant.now().getEpochSecond())) {
            usageLimit(limit, held, started);
            return;
        }
        String reply = replyText(text);
        List<String> deltas = words(reply);
        Duration delay = text.contains(SLOW_MARKER) ? SLOW_DELTA_DELAY : behaviour.deltaDelay();
        Usage usage = Usage.of(inputTokens(), deltas.size());
        String messageId = "msg_fake_cli_" + number;
        event(AnthropicEvents.messageStart(messageId, model, usage));
        event(AnthropicEvents.contentBlockStart(0, AnthropicEvents.textBlock("")));
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < deltas.size(); i++) {
            if (number == behaviour.crashOnTurn() && i == deltas.size() / 2) {
                crash(number);
            }
            if (turn.interruptedWithin(delay)) {
                aborted(messageId, sent.toString(), usage, held, started);
                return;
            }
            event(AnthropicEvents.textDelta(0, deltas.get(i)));
            sent.append(deltas.get(i));
            if (i == 0) {
                garbage();
            }
        }
        if (number == behaviour.crashOnTurn()) {
            crash(number); // a reply without words
        }
        conversation.add(reply);
        out.json(CliMessages.assistant(sessionId, assistantMessage(messageId, reply, null, usage), false));
        event(AnthropicEvents.contentBlockStop(0));
        event(AnthropicEvents.messageDelta("end_turn", null, deltas.size()));
        event(AnthropicEvents.messageStop());
        if (number == behaviour.usageWarningOnTurn()) {
            report(CliMessages.rateLimitInfo("allowed_warning", resetsAt(), "five_hour", 0.92));
        } else if (reportedAllowance != null && !"allowed".equals(reportedAllowance.getString("status"))) {
            report(CliMessages.rateLimitInfo("allowed", resetsAt(), "five_hour", 0.2));
        }
        out.json(CliMessages.success(sessionId, reply, held, usage, millisSince(started)));
    }

    /**
     * A turn refused for the subscription's usage limit, in the lines of the limit's form: 2.1.328's
     * {@code rate_limit_event} (when the allowance changed), the synthetic notice and the error result, or older
     * CLIs' error result alone. No stream events: the model was never called.
     */
    private void usageLimit(Behaviour.UsageLimit limit, int held, long started) {
        if (limit.form().equals("result")) {
            out.json(CliMessages.olderUsageLimitResult(sessionId, limit.resetsAt(), held, millisSince(started)));
            return;
        }
        boolean weekly = limit.form().equals("weekly");
        JsonObject info = CliMessages.rateLimitInfo("rejected", limit.resetsAt(), weekly ? "seven_day" : "five_hour", 1);
        report(info);
        String reset = (weekly ? WEEKLY_RESET : FIVE_HOUR_RESET).format(Instant.ofEpochSecond(limit.resetsAt()))
                .replace("AM", "am").replace("PM", "pm");
        String text = "You've hit your " + (weekly ? "weekly" : "5-hour") + " limit \u00b7 resets " + reset + " (UTC)";
        out.json(CliMessages.usageLimitAssistant(sessionId, text, info));
        out.json(CliMessages.usageLimitResult(sessionId, text, held, millisSince(started)));
    }

    /** Writes a {@code rate_limit_event} unless the allowance is the one last reported, as the real CLI does. */
    private void report(JsonObject allowance) {
        if (!allowance.equals(reportedAllowance)) {
            out.json(CliMessages.rateLimitEvent(sessionId, allowance));
            reportedAllowance = allowance;
        }
    }

    /** When the window of a warning or a recovered allowance resets: the configured limit's reset, else in an hour. */
    private long resetsAt() {
        return behaviour.usageLimit() != null ? behaviour.usageLimit().resetsAt() : Instant.now().getEpochSecond() + 3600;
    }

    /** An interrupted turn, in the real CLI's order: the partial message, the interruption, the stream's end. */
    private void aborted(String messageId, String partial, Usage usage, int held, long started) {
        if (!partial.isEmpty()) {
            conversation.add(partial);
            out.json(CliMessages.assistant(sessionId, assistantMessage(messageId, partial, null, usage), true));
        }
        out.json(CliMessages.interruptedByUser(sessionId));
        event(AnthropicEvents.contentBlockStop(0));
        event(AnthropicEvents.messageDelta(null, null, words(partial).size()));
        event(AnthropicEvents.messageStop());
        out.json(CliMessages.aborted(sessionId, held, usage, millisSince(started)));
    }

    private void apiError(int status, int held, long started) {
        String type = AnthropicEvents.errorType(status);
        String text = "API Error: " + status + " " + type + " (" + Behaviour.ERROR_ON_TURN + ")";
        out.json(CliMessages.apiErrorAssistant(sessionId, status, type, text));
        out.json(CliMessages.apiError(sessionId, status, type, text, held, millisSince(started)));
    }

    private void crash(int number) {
        System.err.println("fake-claude: crashing in turn " + number + " as " + Behaviour.CRASH_ON_TURN + " asks");
        Runtime.getRuntime().halt(1);
    }

    private void garbage() {
        if (behaviour.garbage()) {
            out.text("\u001b[2K\u001b[1G\u001b[33mwarning:\u001b[0m this line is not JSON");
            out.json(CliMessages.rateLimitEvent(sessionId));
            out.json(CliMessages.backgroundTasksChanged(sessionId));
        }
    }

    private void event(JsonObject event) {
        out.json(CliMessages.streamEvent(sessionId, event));
    }

    private String replyText(String userText) {
        if (userText.contains(LONG_MARKER)) {
            return LONG_REPLY;
        }
        return behaviour.reply() != null ? behaviour.reply() : "echo: " + userText + " [turn=" + conversationTurns + "]";
    }

    private JsonObject assistantMessage(String id, String text, String stopReason, Usage usage) {
        return AnthropicEvents.message(id, model, Jsons.array().add(AnthropicEvents.textBlock(text)).build(), stopReason,
                null, usage);
    }

    /** Input tokens: one per word of the conversation, like every count in this fake only roughly real. */
    private int inputTokens() {
        return conversation.stream().mapToInt(message -> words(message).size()).sum();
    }

    /** {@return the text in word-sized deltas, each but the first starting with its space; joined, the text} */
    private static List<String> words(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("(?= )"));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The turn being streamed, as far as an interrupt is concerned. */
    private static final class Turn {
        private final CountDownLatch interrupted = new CountDownLatch(1);

        void interrupt() {
            interrupted.countDown();
        }

        /** Waits out the delay before a delta, ending early on an interrupt; {@return whether interrupted} */
        boolean interruptedWithin(Duration delay) {
            try {
                return delay.isPositive() ? interrupted.await(delay.toNanos(), TimeUnit.NANOSECONDS) : interrupted.getCount() == 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    }
}
