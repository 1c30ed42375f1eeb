package io.llmgateway.backend.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.Settings;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.ValueTypes;

/**
 * The cli backend's configuration, declared in {@link #DESCRIPTOR} (the plugin's README shows the table).
 *
 * @param command             the CLI to run ({@code LLM_CLI_COMMAND}, default {@code claude} on PATH)
 * @param extraArgs           arguments placed right after the command ({@code LLM_CLI_ARGS})
 * @param poolSize            warm sessions kept ready ({@code LLM_POOL_SIZE}, default 2)
 * @param maxOverflow         cold sessions allowed on top under load ({@code LLM_POOL_MAX_OVERFLOW}, 4)
 * @param queueTimeout        how long a request waits for a session ({@code LLM_POOL_QUEUE_TIMEOUT}, 30 s)
 * @param queueCapacity       how many requests may wait ({@code LLM_POOL_QUEUE_SIZE}, 100)
 * @param keepAliveInterval   how often idle sessions are pinged ({@code LLM_KEEP_ALIVE_INTERVAL}, 300 s)
 * @param overflowIdleTimeout idle time after which an overflow session is retired
 *                            ({@code LLM_POOL_OVERFLOW_IDLE}, 60 s)
 * @param startTimeout        how long a spawned session may take to answer {@code initialize}
 *                            ({@code LLM_CLI_START_TIMEOUT}, 60 s)
 * @param defaultModel        the model warm sessions run ({@code LLM_CLI_MODEL}, {@code claude-sonnet})
 * @param defaultSystemPrompt the system prompt of requests that bring none, and of warm sessions
 *                            ({@code LLM_CLI_SYSTEM_PROMPT})
 * @param workRoot            where session directories go ({@code LLM_CLI_WORK_DIR}, a new temp dir)
 * @param retryAfter          the {@code Retry-After} sent with 429/503 answers the CLI reports without one, and
 *                            the hold of a usage limit the CLI names no reset time for
 *                            ({@code LLM_CLI_RETRY_AFTER}, 10 s)
 * @param toolResultTimeout   how long a session waits for the client to bring the results of the tool calls it
 *                            answered with, before its turn is interrupted and it is reset
 *                            ({@code LLM_CLI_TOOL_RESULT_TIMEOUT}, 300 s)
 * @param credentials         where the sessions' credentials come from
 * @param cliMaxRetries       the CLI's own retries of an upstream error ({@code CLAUDE_CODE_MAX_RETRIES}, 0)
 * @param searchPath          where a bare command name is looked up ({@code PATH})
 */
record CliSettings(String command,
                   List<String> extraArgs,
                   int poolSize,
                   int maxOverflow,
                   Duration queueTimeout,
                   int queueCapacity,
                   Duration keepAliveInterval,
                   Duration overflowIdleTimeout,
                   Duration startTimeout,
                   String defaultModel,
                   String defaultSystemPrompt,
                   Optional<Path> workRoot,
                   Duration retryAfter,
                   Duration toolResultTimeout,
                   Credentials credentials,
                   int cliMaxRetries,
                   String searchPath) {

    static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant.";

    static final SettingSpec<String> COMMAND = SettingSpec.of("command", ValueTypes.string(),
                                                              "the Claude Code CLI to run (a path, or a name looked up on PATH)")
            .env("LLM_CLI_COMMAND").defaultValue("claude");
    static final SettingSpec<List<String>> ARGS = SettingSpec.of("args", ValueTypes.arguments(),
                                                                 "extra arguments right after the command (quotes group words)")
            .env("LLM_CLI_ARGS");
    static final SettingSpec<Integer> POOL_SIZE = SettingSpec.of("pool_size", ValueTypes.integer(0, 64),
                                                                 "warm sessions kept ready")
            .env("LLM_POOL_SIZE").defaultValue(2);
    static final SettingSpec<Integer> MAX_OVERFLOW = SettingSpec.of("pool_max_overflow", ValueTypes.integer(0, 256),
                                                                    "cold sessions allowed on top of the pool under load")
            .env("LLM_POOL_MAX_OVERFLOW").defaultValue(4);
    static final SettingSpec<Integer> QUEUE_SIZE = SettingSpec.of("pool_queue_size", ValueTypes.integer(0, 100_000),
                                                                  "requests that may wait for a session")
            .env("LLM_POOL_QUEUE_SIZE").defaultValue(100);
    static final SettingSpec<Duration> QUEUE_TIMEOUT = SettingSpec.of(
                    "pool_queue_timeout", ValueTypes.duration(),
                    "how long a request waits for a session before a 503 with Retry-After")
            .env("LLM_POOL_QUEUE_TIMEOUT").defaultValue(Duration.ofSeconds(30));
    static final SettingSpec<Duration> OVERFLOW_IDLE = SettingSpec.of(
                    "pool_overflow_idle", ValueTypes.duration(), "how long an overflow session may sit idle before it is retired")
            .env("LLM_POOL_OVERFLOW_IDLE").defaultValue(Duration.ofSeconds(60));
    static final SettingSpec<Duration> KEEP_ALIVE = SettingSpec.of(
                    "keep_alive_interval", ValueTypes.duration(), "time between keep-alive pings of an idle session")
            .env("LLM_KEEP_ALIVE_INTERVAL").defaultValue(Duration.ofSeconds(300));
    static final SettingSpec<Duration> START_TIMEOUT = SettingSpec.of(
                    "start_timeout", ValueTypes.duration(), "how long a spawned session may take to become warm")
            .env("LLM_CLI_START_TIMEOUT").defaultValue(Duration.ofSeconds(60));
    static final SettingSpec<String> MODEL = SettingSpec.of("model", ValueTypes.string(), "the model the warm pool runs")
            .env("LLM_CLI_MODEL").defaultValue("claude-sonnet");
    static final SettingSpec<String> SYSTEM_PROMPT = SettingSpec.of(
                    "system_prompt", ValueTypes.string(),
                    "the system prompt of requests that bring none (and of the warm pool)")
            .env("LLM_CLI_SYSTEM_PROMPT").defaultValue(DEFAULT_SYSTEM_PROMPT);
    static final SettingSpec<Path> WORK_DIR = SettingSpec.of(
                    "work_dir", ValueTypes.path(), "where each session gets its working and config directory")
            .env("LLM_CLI_WORK_DIR").defaultText("a new temporary directory");
    static final SettingSpec<Duration> RETRY_AFTER = SettingSpec.of(
                    "retry_after", ValueTypes.duration(),
                    "the Retry-After of 503 answers when every session is busy (and how long a usage limit without a"
                            + " reset time holds); upstream errors the CLI reports carry none, so the router and the SDKs"
                            + " back off on their own")
            .env("LLM_CLI_RETRY_AFTER").defaultValue(Duration.ofSeconds(10));
    static final SettingSpec<Duration> TOOL_RESULT_TIMEOUT = SettingSpec.of(
                    "tool_result_timeout", ValueTypes.duration(),
                    "how long a session that called the client's functions waits for their results before it is reset")
            .env("LLM_CLI_TOOL_RESULT_TIMEOUT").defaultValue(Duration.ofSeconds(300));
    static final SettingSpec<Path> CREDENTIALS = SettingSpec.of(
                    "credentials", ValueTypes.path(),
                    "an interactive login to copy into each session when no token is set")
            .env("LLM_CLI_CREDENTIALS").defaultText("$CLAUDE_CONFIG_DIR/.credentials.json, else ~/.claude/.credentials.json");
    static final SettingSpec<String> API_KEY = SettingSpec.of("anthropic_api_key", ValueTypes.secret(),
                                                              "an Anthropic API key for every session")
            .env("ANTHROPIC_API_KEY");
    static final SettingSpec<String> AUTH_TOKEN = SettingSpec.of("anthropic_auth_token", ValueTypes.secret(),
                                                                 "a bearer token for every session, instead of the key")
            .env("ANTHROPIC_AUTH_TOKEN");
    static final SettingSpec<String> OAUTH_TOKEN = SettingSpec.of("oauth_token", ValueTypes.secret(),
                                                                  "a subscription token from claude setup-token")
            .env("CLAUDE_CODE_OAUTH_TOKEN");
    static final SettingSpec<Path> CLAUDE_CONFIG_DIR = SettingSpec.of(
                    "claude_config_dir", ValueTypes.path(), "the operator's Claude config directory, to find its login")
            .env("CLAUDE_CONFIG_DIR");
    static final SettingSpec<Path> HOME = SettingSpec.of("home", ValueTypes.path(),
                                                         "the operator's home directory, to find ~/.claude")
            .env("HOME");
    static final SettingSpec<String> SEARCH_PATH = SettingSpec.of("search_path", ValueTypes.string(),
                                                                  "where the command is looked up when it is a bare name")
            .env("PATH");
    static final SettingSpec<Integer> CLI_MAX_RETRIES = SettingSpec.of(
                    "cli_max_retries", ValueTypes.integer(0, 100),
                    "the CLI's own retries of an upstream error (0: errors surface at once)")
            .env("CLAUDE_CODE_MAX_RETRIES").defaultValue(0);

    /** What the plugin declares. */
    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.backend(
            "cli", SpiVersion.MAJOR, SpiVersion.MINOR, "a pool of warm Claude Code CLI sessions (stream-json)",
            List.of(COMMAND, ARGS, POOL_SIZE, MAX_OVERFLOW, QUEUE_SIZE, QUEUE_TIMEOUT, OVERFLOW_IDLE, KEEP_ALIVE,
                    START_TIMEOUT, MODEL, SYSTEM_PROMPT, WORK_DIR, RETRY_AFTER, TOOL_RESULT_TIMEOUT, CREDENTIALS, API_KEY,
                    AUTH_TOKEN, OAUTH_TOKEN, CLAUDE_CONFIG_DIR, HOME, SEARCH_PATH, CLI_MAX_RETRIES));

    CliSettings {
        extraArgs = List.copyOf(extraArgs);
    }

    static CliSettings from(Settings settings) {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (SettingSpec<String> token : List.of(API_KEY, AUTH_TOKEN, OAUTH_TOKEN)) {
            settings.find(token).ifPresent(value -> tokens.put(token.env().orElseThrow(), value));
        }
        return new CliSettings(settings.get(COMMAND),
                               settings.find(ARGS).orElse(List.of()),
                               settings.get(POOL_SIZE),
                               settings.get(MAX_OVERFLOW),
                               settings.get(QUEUE_TIMEOUT),
                               settings.get(QUEUE_SIZE),
                               settings.get(KEEP_ALIVE),
                               settings.get(OVERFLOW_IDLE),
                               settings.get(START_TIMEOUT),
                               settings.get(MODEL),
                               settings.get(SYSTEM_PROMPT),
                               settings.find(WORK_DIR),
                               settings.get(RETRY_AFTER),
                               settings.get(TOOL_RESULT_TIMEOUT),
                               new Credentials(tokens, settings.find(CREDENTIALS), settings.find(CLAUDE_CONFIG_DIR),
                                               settings.find(HOME)),
                               settings.get(CLI_MAX_RETRIES),
                               settings.find(SEARCH_PATH).orElse(""));
    }

    /**
     * How the sessions authenticate: tokens passed in their environment, else the operator's interactive login
     * copied into each session.
     *
     * @param tokens    the set token variables and their values
     * @param login     where the login is, if configured ({@code LLM_CLI_CREDENTIALS})
     * @param configDir the operator's {@code CLAUDE_CONFIG_DIR}
     * @param home      the operator's {@code HOME}
     */
    record Credentials(Map<String, String> tokens, Optional<Path> login, Optional<Path> configDir, Optional<Path> home) {
        Credentials {
            tokens = Map.copyOf(tokens);
        }

        /** Names the token variables, never their values. */
        @Override
        public String toString() {
            return "Credentials[tokens=" + tokens.keySet() + ", login=" + login + ", configDir=" + configDir + ", home="
                    + home + "]";
        }

        /** The login file to copy, when no token is set. */
        Optional<Path> loginFile() {
            if (!tokens.isEmpty()) {
                return Optional.empty();
            }
            return login.or(() -> configDir.map(dir -> dir.resolve(".credentials.json")))
                    .or(() -> home.map(dir -> dir.resolve(".claude").resolve(".credentials.json")));
        }
    }
}
