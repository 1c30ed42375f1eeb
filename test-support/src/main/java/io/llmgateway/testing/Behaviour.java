package io.llmgateway.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a {@link FakeClaudeCli} process misbehaves, read from its environment (the table is in
 * {@link FakeClaudeCli}'s documentation). Turn numbers count the user turns the process received since
 * it started, {@code /clear} not included, starting at 1; 0 means never.
 *
 * @param startDelay     sleep before reading stdin
 * @param deltaDelay     sleep before each text delta
 * @param clearDelay     sleep before answering {@code /clear}
 * @param reply          fixed reply text, or null for the echo reply
 * @param crashOnTurn    the turn in the middle of which the process exits with status 1
 * @param hangOnTurn     the turn from which on the process writes nothing at all
 * @param hangOnPing     whether {@code mcp_status} requests go unanswered
 * @param garbage        whether turns are interleaved with non-JSON lines and unknown line types
 * @param failStart      the message the process fails with at start, or null to start normally
 * @param errorOnTurn    the turn that ends with an API error result
 * @param errorStatus    the HTTP status of that API error
 * @param transcript     the file every stdin line is appended to, or null; {@value #PID} in it stands for
 *                       the process id
 * @param stopReadingOnTurn the turn after whose line the process reads nothing more from stdin
 * @param usageLimit     the subscription's usage limit the turns run into, or null for none
 * @param usageWarningOnTurn the turn served with an {@code allowed_warning} {@code rate_limit_event}
 */
record Behaviour(Duration startDelay, Duration deltaDelay, Duration clearDelay, String reply, int crashOnTurn, int hangOnTurn,
                 boolean hangOnPing, boolean garbage, String failStart, int errorOnTurn, int errorStatus,
                 Path transcript, int stopReadingOnTurn, UsageLimit usageLimit, int usageWarningOnTurn) {

    static final String START_DELAY_MS = "FAKE_CLI_START_DELAY_MS";
    static final String DELTA_DELAY_MS = "FAKE_CLI_DELTA_DELAY_MS";
    static final String CLEAR_DELAY_MS = "FAKE_CLI_CLEAR_DELAY_MS";
    static final String REPLY = "FAKE_CLI_REPLY";
    static final String CRASH_ON_TURN = "FAKE_CLI_CRASH_ON_TURN";
    static final String HANG_ON_TURN = "FAKE_CLI_HANG_ON_TURN";
    static final String HANG_ON_PING = "FAKE_CLI_HANG_ON_PING";
    static final String GARBAGE = "FAKE_CLI_GARBAGE";
    static final String FAIL_START = "FAKE_CLI_FAIL_START";
    static final String ERROR_ON_TURN = "FAKE_CLI_ERROR_ON_TURN";
    static final String TRANSCRIPT = "FAKE_CLI_TRANSCRIPT";
    static final String STOP_READING_ON_TURN = "FAKE_CLI_STOP_READING_ON_TURN";
    static final String USAGE_LIMIT = "FAKE_CLI_USAGE_LIMIT";
    static final String USAGE_WARNING_ON_TURN = "FAKE_CLI_USAGE_WARNING_ON_TURN";

    /** Replaced by the process id in the transcript's path, so processes of one launcher write apart. */
    static final String PID = "{pid}";

    /** Every variable the fake reads. */
    static final Set<String> VARIABLES = Set.of(START_DELAY_MS, DELTA_DELAY_MS, CLEAR_DELAY_MS, REPLY, CRASH_ON_TURN, HANG_ON_TURN,
            HANG_ON_PING, GARBAGE, FAIL_START, ERROR_ON_TURN, TRANSCRIPT, STOP_READING_ON_TURN, USAGE_LIMIT,
            USAGE_WARNING_ON_TURN);
    private static final List<String> FALSE = List.of("", "0", "false", "no");

    /**
     * {@return the behaviour the variables ask for}
     *
     * @throws IllegalArgumentException naming the variable whose value is unusable
     */
    static Behaviour from(Map<String, String> env) {
        String error = env.get(ERROR_ON_TURN);
        int errorTurn = 0;
        int errorStatus = 0;
        if (error != null && !error.isBlank()) {
            String[] turnAndStatus = error.split(":", 2);
            if (turnAndStatus.length != 2) {
                throw new IllegalArgumentException(ERROR_ON_TURN + " must be TURN:STATUS, e.g. 2:529: " + error);
            }
            errorTurn = number(ERROR_ON_TURN, turnAndStatus[0]);
            errorStatus = number(ERROR_ON_TURN, turnAndStatus[1]);
        }
        String transcript = env.get(TRANSCRIPT);
        return new Behaviour(
                Duration.ofMillis(number(env, START_DELAY_MS)),
                Duration.ofMillis(number(env, DELTA_DELAY_MS)),
                Duration.ofMillis(number(env, CLEAR_DELAY_MS)),
                env.get(REPLY),
                number(env, CRASH_ON_TURN),
                number(env, HANG_ON_TURN),
                flag(env, HANG_ON_PING),
                flag(env, GARBAGE),
                flag(env, FAIL_START) ? failMessage(env.get(FAIL_START)) : null,
                errorTurn,
                errorStatus,
                transcript == null || transcript.isBlank() ? null : Path.of(transcript),
                number(env, STOP_READING_ON_TURN),
                UsageLimit.parse(env.get(USAGE_LIMIT)),
                number(env, USAGE_WARNING_ON_TURN));
    }

    /** {@return the transcript's path for the process with this id} */
    Path transcriptFile(long pid) {
        return Path.of(transcript.toString().replace(PID, Long.toString(pid)));
    }

    /**
     * The subscription's usage limit as {@value #USAGE_LIMIT} sets it ({@code TURN:RESETS_AT[:FORM]}): turns from
     * {@code turn} on that begin before {@code resetsAt} are refused, in the lines of {@code form}.
     *
     * @param turn     the first turn refused
     * @param resetsAt when the limit resets, in epoch seconds on the fake's clock
     * @param form     {@code event} (the five-hour limit as 2.1.328 reports it), {@code weekly} (the same for the
     *                 seven-day limit) or {@code result} (the error result alone, in older CLIs' words)
     */
    record UsageLimit(int turn, long resetsAt, String form) {
        static final Set<String> FORMS = Set.of("event", "weekly", "result");

        /** {@return whether the turn, begun at this epoch second, is refused} */
        boolean refuses(int number, long nowSeconds) {
            return number >= turn && nowSeconds < resetsAt;
        }

        static UsageLimit parse(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            String[] parts = value.trim().split(":", 3);
            String form = parts.length == 3 ? parts[2] : "event";
            if (parts.length < 2 || !FORMS.contains(form)) {
                throw new IllegalArgumentException(USAGE_LIMIT + " must be TURN:RESETS_AT[:FORM] with FORM one of "
                        + FORMS.stream().sorted().toList() + ", e.g. 2:1796319436:event: " + value);
            }
            int turn = number(USAGE_LIMIT, parts[0]);
            try {
                return new UsageLimit(turn == 0 ? 1 : turn, Long.parseLong(parts[1].trim()), form);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(USAGE_LIMIT + ": RESETS_AT must be epoch seconds: " + value);
            }
        }
    }

    private static String failMessage(String value) {
        return "true".equalsIgnoreCase(value) || "1".equals(value)
                ? "fake-claude: failing at start because " + FAIL_START + " is set"
                : value;
    }

    private static boolean flag(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !FALSE.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    private static int number(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? 0 : number(name, value);
    }

    private static int number(String name, String value) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number < 0) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of 0 or more: " + value);
        }
    }
}
