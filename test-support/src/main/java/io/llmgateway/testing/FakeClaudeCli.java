package io.llmgateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A stand-in for the {@code claude} CLI in its long-lived stream-json mode, for testing a pool of CLI
 * processes without the real binary, an account or a network. It is a real process: start it through the
 * script {@link #launcher} writes, exactly as the real CLI would be started.
 *
 * <h2>Protocol</h2>
 * It accepts the real CLI's flags ({@code -p --input-format stream-json --output-format stream-json
 * --verbose --include-partial-messages --tools "" --no-session-persistence --setting-sources ""} and any
 * other) and ignores them, except {@code --model} (reported in {@code system/init} and every message) and
 * {@code --system-prompt} (reported as {@code fake_system_prompt} in {@code system/init}). It reads one JSON
 * object per line on stdin and writes one per line on stdout, each flushed:
 * <ul>
 *   <li>{@code control_request} {@code initialize} is answered {@code {"commands":[],"pid":...}},
 *       {@code mcp_status} {@code {"mcpServers":[]}}, {@code interrupt} {@code {"still_queued":[]}} (and it
 *       stops the turn that is streaming); other subtypes get a {@code control_response} of subtype
 *       {@code error}.</li>
 *   <li>A {@code user} message starts a turn: {@code system/init}, {@code system/status} "requesting", the
 *       {@code stream_event}s of one text block with one {@code text_delta} per word, the {@code assistant}
 *       line (after the last delta and before {@code content_block_stop}, where the real CLI writes it),
 *       then the {@code result}. Turns queue up and run one at a time.</li>
 *   <li>The reply is {@code echo: <user text> [turn=<n>]}, n counting the turns since start or the last
 *       {@code /clear}, and the result's {@code num_turns} is the number of messages the conversation held
 *       when the turn was sent (2n-1 in a conversation without errors or interrupts). So a test can tell
 *       whether context was kept or reset. (The real CLI's {@code num_turns} is 1 for every plain turn.)</li>
 *   <li>{@code /clear} resets the conversation: {@code conversation_reset},
 *       {@code system/background_tasks_changed}, a non-JSON line of ANSI escapes, a {@code system/init} with a
 *       new {@code session_id}, and a {@code result} with {@code num_turns} 0.</li>
 *   <li>An interrupted turn ends as the real CLI's does: the partial {@code assistant} message marked
 *       {@code "aborted":true}, a {@code user} line "[Request interrupted by user]", the stream's closing
 *       events, and a {@code result} of subtype {@code error_during_execution} with {@code is_error} true
 *       and {@code terminal_reason} {@code aborted_streaming}.</li>
 *   <li>When stdin closes it finishes the queued turns and exits with status 0.</li>
 * </ul>
 *
 * <h2>Behaviour</h2>
 * Environment variables (the launcher writes them as {@code export} lines); turn numbers count the user
 * turns since the process started, {@code /clear} not included:
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>effect</th></tr>
 *   <tr><td>{@code FAKE_CLI_START_DELAY_MS}</td><td>sleep before reading stdin: a slow cold start</td></tr>
 *   <tr><td>{@code FAKE_CLI_DELTA_DELAY_MS}</td><td>sleep before each text delta</td></tr>
 *   <tr><td>{@code FAKE_CLI_CLEAR_DELAY_MS}</td><td>sleep before answering {@code /clear}: a slow reset</td></tr>
 *   <tr><td>{@code FAKE_CLI_REPLY}</td><td>a fixed reply text instead of the echo</td></tr>
 *   <tr><td>{@code FAKE_CLI_CRASH_ON_TURN=n}</td><td>exit with status 1 halfway through streaming turn n</td></tr>
 *   <tr><td>{@code FAKE_CLI_HANG_ON_TURN=n}</td><td>from turn n's {@code system/status} on, write nothing at all
 *       (no deltas, no control responses, interrupts ignored) and stay alive after stdin closes (until
 *       killed, at most 10 minutes)</td></tr>
 *   <tr><td>{@code FAKE_CLI_STOP_READING_ON_TURN=n}</td><td>read nothing more from stdin once turn n's line
 *       has arrived (the turn itself still runs), so a writer fills the pipe and blocks; stay alive until killed
 *       (at most 10 minutes)</td></tr>
 *   <tr><td>{@code FAKE_CLI_HANG_ON_PING}</td><td>never answer {@code mcp_status}</td></tr>
 *   <tr><td>{@code FAKE_CLI_GARBAGE}</td><td>write a non-JSON line, a {@code rate_limit_event} and a
 *       {@code system/background_tasks_changed} after {@code system/status} and after the first delta</td></tr>
 *   <tr><td>{@code FAKE_CLI_FAIL_START}</td><td>exit with status 1 at once, printing the value (or, for
 *       {@code 1}/{@code true}, a standard message) on stderr</td></tr>
 *   <tr><td>{@code FAKE_CLI_ERROR_ON_TURN=n:status}</td><td>turn n fails like an upstream error: a synthetic
 *       {@code assistant} line and a result {@code {"subtype":"success","is_error":true,"api_error_status":status,
 *       "result":"API Error: status ..."}}</td></tr>
 *   <tr><td>{@code FAKE_CLI_USAGE_LIMIT=turn:resetsAt[:form]}</td><td>the subscription's usage limit: turns from
 *       {@code turn} on that begin before {@code resetsAt} (epoch seconds) are refused without a model call, as the
 *       real CLI refuses them; later ones are served again (after a {@code rate_limit_event} {@code allowed}).
 *       {@code form} {@code event} (the default) is 2.1.328's five-hour limit: a {@code rate_limit_event}
 *       {@code rejected} with {@code resetsAt} and {@code rateLimitType} (only when the allowance changed, so a
 *       process's second refusal has none), the synthetic {@code assistant} line "You've hit your 5-hour limit
 *       · resets 5:37pm (UTC)" with {@code error} {@code rate_limit}, {@code api_error} {@code usage_limit_reached}
 *       and {@code api_error_params.rate_limit_info}, then the result ({@code is_error}, {@code api_error_status}
 *       429, {@code api_error} {@code usage_limit_reached}); {@code weekly} the same for the seven-day limit;
 *       {@code result} the error result alone, {@code "Claude AI usage limit reached|<resetsAt>"}, as older CLIs
 *       wrote it</td></tr>
 *   <tr><td>{@code FAKE_CLI_USAGE_WARNING_ON_TURN=n}</td><td>turn n is served with a {@code rate_limit_event}
 *       {@code allowed_warning} (five-hour window, utilization 0.92) after {@code message_stop}, where 2.1.328
 *       writes it</td></tr>
 *   <tr><td>{@code FAKE_CLI_TRANSCRIPT=file}</td><td>append every stdin line to the file, flushed, before
 *       acting on it; {@code {pid}} in the name stands for the process id (the {@code pid} of the
 *       {@code initialize} response), so the processes of one launcher can write apart</td></tr>
 * </table>
 * Flags are on unless empty, {@code 0}, {@code false} or {@code no}. Markers in a turn's text steer that
 * turn: {@code [[slow]]} makes it wait 200 ms before each delta, {@code [[long]]} makes the reply 200
 * words ({@code word1 ... word200}).
 */
public final class FakeClaudeCli {
    /** The model reported when the process is started without {@code --model}. */
    public static final String DEFAULT_MODEL = "claude-fake";
    /** The launcher script's file name. */
    public static final String LAUNCHER_NAME = "fake-claude";
    /** JVM options that keep the fake's start-up short: it is started often and lives briefly. */
    private static final String JVM_OPTIONS = "-Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx32m";

    private FakeClaudeCli() {
    }

    /**
     * Writes an executable script {@code dir/fake-claude} that starts the fake CLI with the running JVM's
     * {@code java}, this module's classes and its JSON library on the class path, and the behaviour as
     * {@code export} lines; it passes its arguments on. Start it like the real CLI, e.g.
     * {@code new ProcessBuilder(launcher.toString(), "-p", "--input-format", "stream-json", ...)}.
     *
     * @param dir       the directory to write the script in (created if missing)
     * @param behaviour {@code FAKE_CLI_*} variables and their values (see the class documentation)
     * @return the script's path
     * @throws IllegalArgumentException for a variable the fake does not know or a value it cannot use
     */
    public static Path launcher(Path dir, Map<String, String> behaviour) {
        Set<String> unknown = behaviour.keySet().stream().filter(name -> !Behaviour.VARIABLES.contains(name))
                .collect(Collectors.toSet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown variables " + unknown + "; the fake reads "
                    + Behaviour.VARIABLES.stream().sorted().toList());
        }
        Behaviour.from(behaviour);
        StringBuilder script = new StringBuilder("#!/bin/sh\n")
                .append("# The claude CLI stand-in ").append(FakeClaudeCli.class.getName())
                .append(", written by its launcher method.\n");
        new TreeMap<>(behaviour).forEach((name, value) -> script.append("export ").append(name).append('=')
                .append(shellQuoted(value)).append('\n'));
        script.append("exec ").append(shellQuoted(JavaCommand.java())).append(' ').append(JVM_OPTIONS)
                .append(" -cp ").append(shellQuoted(JavaCommand.classPath()))
                .append(' ').append(FakeClaudeCli.class.getName()).append(" \"$@\"\n");
        try {
            Files.createDirectories(dir);
            Path launcher = dir.resolve(LAUNCHER_NAME);
            Files.writeString(launcher, script);
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            return launcher;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fake CLI's launcher in " + dir, e);
        }
    }

    /** Runs the fake CLI on this process's stdin and stdout; see the class documentation. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Behaviour behaviour;
        try {
            behaviour = Behaviour.from(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("fake-claude: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (behaviour.failStart() != null) {
            System.err.println(behaviour.failStart());
            System.exit(1);
        }
        Thread.sleep(behaviour.startDelay());
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        new CliSession(behaviour, option(args, "--model", DEFAULT_MODEL), option(args, "--system-prompt", ""), new CliOutput())
                .run(stdin);
        System.exit(0);
    }

    /** {@return the value after the flag ({@code --flag value} or {@code --flag=value}), or the default} */
    private static String option(String[] args, String flag, String defaultValue) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(flag) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(flag + "=")) {
                return args[i].substring(flag.length() + 1);
            }
        }
        return defaultValue;
    }

    private static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
