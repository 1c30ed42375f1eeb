package io.llmgateway.backend.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.PluginConfig;

/**
 * The cli backend's configuration (every key is documented in the README).
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
 * @param retryAfter          the {@code Retry-After} sent with 429/503 answers the CLI reports without one
 *                            ({@code LLM_CLI_RETRY_AFTER}, 10 s)
 * @param toolResultTimeout   how long a session waits for the client to bring the results of the tool calls it
 *                            answered with, before its turn is interrupted and it is reset
 *                            ({@code LLM_CLI_TOOL_RESULT_TIMEOUT}, 300 s)
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
                   Duration toolResultTimeout) {

    static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant.";

    CliSettings {
        extraArgs = List.copyOf(extraArgs);
    }

    static CliSettings from(PluginConfig config) {
        return new CliSettings(config.string("LLM_CLI_COMMAND", "claude"),
                               splitArgs(config.string("LLM_CLI_ARGS", "")),
                               config.integer("LLM_POOL_SIZE", 2, 0, 64),
                               config.integer("LLM_POOL_MAX_OVERFLOW", 4, 0, 256),
                               config.seconds("LLM_POOL_QUEUE_TIMEOUT", Duration.ofSeconds(30)),
                               config.integer("LLM_POOL_QUEUE_SIZE", 100, 0, 100_000),
                               config.seconds("LLM_KEEP_ALIVE_INTERVAL", Duration.ofSeconds(300)),
                               config.seconds("LLM_POOL_OVERFLOW_IDLE", Duration.ofSeconds(60)),
                               config.seconds("LLM_CLI_START_TIMEOUT", Duration.ofSeconds(60)),
                               config.string("LLM_CLI_MODEL", "claude-sonnet"),
                               config.string("LLM_CLI_SYSTEM_PROMPT", DEFAULT_SYSTEM_PROMPT),
                               config.value("LLM_CLI_WORK_DIR").map(Path::of),
                               config.seconds("LLM_CLI_RETRY_AFTER", Duration.ofSeconds(10)),
                               config.seconds("LLM_CLI_TOOL_RESULT_TIMEOUT", Duration.ofSeconds(300)));
    }

    /** Splits on whitespace; single or double quotes keep an argument with spaces together. */
    static List<String> splitArgs(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean inArg = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (inArg) {
            args.add(current.toString());
        }
        return args;
    }
}
