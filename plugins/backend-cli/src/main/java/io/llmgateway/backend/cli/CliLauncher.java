package io.llmgateway.backend.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts CLI processes the safe way: each in an empty working directory of its own (the CLI tells the
 * model its cwd) and with a {@code CLAUDE_CONFIG_DIR} of its own, because concurrent processes sharing
 * one {@code ~/.claude.json} corrupt it. With no built-in tools ({@code --tools ""}) and no MCP server but
 * the gateway's own sdk server {@code gw} ({@code --strict-mcp-config}), whose tools are the client's functions
 * and whose calls the gateway only passes on, so no prompt can make the CLI act on the gateway's host. Three
 * request values reach the command line, all through this fixed argument list: the model, the system prompt
 * and the answer schema.
 *
 * <p>Credentials: {@code ANTHROPIC_API_KEY} or {@code CLAUDE_CODE_OAUTH_TOKEN} (a subscription token from
 * {@code claude setup-token}) pass through the environment. Without either, the operator's interactive
 * login ({@code ~/.claude/.credentials.json}, or {@code LLM_CLI_CREDENTIALS}) is copied read-only into each
 * session's config directory at spawn, so a process never writes to the operator's own files.
 */
final class CliLauncher {

    /** The one MCP server a session has: the gateway itself, over the CLI's stdio control channel. */
    static final String MCP_CONFIG = "{\"mcpServers\":{\"" + ToolHost.SERVER + "\":{\"type\":\"sdk\",\"name\":\""
            + ToolHost.SERVER + "\"}}}";
    /** How much longer than the gateway the CLI waits for a tool result, so the gateway's timeout is the one that acts. */
    static final Duration TOOL_TIMEOUT_MARGIN = Duration.ofSeconds(60);

    private final CliSettings settings;
    private final Path workRoot;
    private final boolean ownsWorkRoot;

    CliLauncher(CliSettings settings) {
        this.settings = settings;
        try {
            if (settings.workRoot().isPresent()) {
                this.workRoot = Files.createDirectories(settings.workRoot().get());
                this.ownsWorkRoot = false;
            } else {
                this.workRoot = Files.createTempDirectory("llm-gateway-cli-");
                this.ownsWorkRoot = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cli backend's work directory", e);
        }
    }

    /**
     * Why the command cannot run, in one line for the operator; empty when it is found.
     *
     * @return the problem, if any
     */
    Optional<String> commandProblem() {
        String command = settings.command();
        if (resolve(command).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("cli backend: cannot run '" + command + "' (" + (command.contains("/")
                ? "no executable file there"
                : "not found on PATH") + "). Install Claude Code with `npm install -g @anthropic-ai/claude-code`"
                                   + " (then log in with `claude` or set ANTHROPIC_API_KEY), or set LLM_CLI_COMMAND"
                                   + " to its path, or choose another backend with LLM_BACKEND=api or LLM_BACKEND=mock.");
    }

    /**
     * Starts a process for a session.
     *
     * @param sessionId names its directory and threads
     * @param key       its model, system prompt and answer schema
     * @param handler   answers what the process asks its parent (its MCP server's messages, permissions)
     * @return the running process
     * @throws IOException when it cannot be started
     */
    CliProcess launch(String sessionId, SessionKey key, CliProcess.ControlRequests handler) throws IOException {
        Path home = workRoot.resolve(sessionId);
        Path configDir = Files.createDirectories(home.resolve("config"));
        Path cwd = Files.createDirectories(home.resolve("cwd"));
        copyCredentials(configDir);
        return CliProcess.start(command(key), cwd, environment(configDir), sessionId, handler);
    }

    /**
     * Removes a session's directory once its process is gone.
     *
     * @param sessionId the session
     */
    void cleanUp(String sessionId) {
        deleteTree(workRoot.resolve(sessionId));
    }

    /** Removes everything the launcher created. */
    void cleanUpAll() {
        if (ownsWorkRoot) {
            deleteTree(workRoot);
        }
    }

    List<String> command(SessionKey key) {
        List<String> command = new ArrayList<>();
        command.add(settings.command());
        command.addAll(settings.extraArgs());
        command.addAll(List.of("-p",
                               "--input-format", "stream-json",
                               "--output-format", "stream-json",
                               "--verbose",
                               "--include-partial-messages",
                               "--tools", "",
                               "--model", key.cliModel(),
                               "--system-prompt", key.systemPrompt(),
                               "--no-session-persistence",
                               "--setting-sources", "",
                               "--strict-mcp-config",
                               "--mcp-config", MCP_CONFIG,
                               "--permission-prompt-tool", "stdio"));
        key.jsonSchema().ifPresent(schema -> command.addAll(List.of("--json-schema", schema)));
        return command;
    }

    private Map<String, String> environment(Path configDir) {
        Map<String, String> env = new HashMap<>();
        env.put("CLAUDE_CONFIG_DIR", configDir.toString());
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        // The CLI's own retries (up to 10, minutes long) would hide errors past any request timeout:
        // fail fast and let the client's SDK retry with the Retry-After the gateway sends.
        env.put("CLAUDE_CODE_MAX_RETRIES", Integer.toString(settings.cliMaxRetries()));
        // this instance's own credentials, over whatever the gateway's environment holds
        env.putAll(settings.credentials().tokens());
        // tool search would hide the client's functions behind a ToolSearch tool and add a placeholder tool
        env.put("ENABLE_TOOL_SEARCH", "false");
        env.put("MCP_TOOL_TIMEOUT", Long.toString(settings.toolResultTimeout().plus(TOOL_TIMEOUT_MARGIN).toMillis()));
        return env;
    }

    private void copyCredentials(Path configDir) throws IOException {
        Optional<Path> source = settings.credentials().loginFile();
        // a regular file only: copying from a named pipe would block the starting thread for as long as nothing writes
        if (source.isPresent() && Files.isRegularFile(source.get()) && Files.isReadable(source.get())) {
            Path target = configDir.resolve(".credentials.json");
            Files.copy(source.get(), target, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }
    }

    private Optional<Path> resolve(String command) {
        if (command.contains("/")) {
            Path path = Path.of(command);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (String dir : settings.searchPath().split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, command);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort: a leftover temp file is not worth failing a shutdown for
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort, as above; a session still starting may be adding or removing files meanwhile
        }
    }
}
