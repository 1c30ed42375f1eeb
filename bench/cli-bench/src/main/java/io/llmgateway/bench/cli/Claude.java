package io.llmgateway.bench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code claude} binary run the way the gateway runs it (see the cli backend's {@code CliLauncher}):
 * the same arguments, the same environment on top of this program's, each process in an empty working
 * directory and with a {@code CLAUDE_CONFIG_DIR} of its own, all under this run's work directory.
 */
final class Claude {

    /** What the gateway passes as {@code --model} for {@code claude-sonnet}, its default model. */
    static final String MODEL = "sonnet";
    /** The gateway's default system prompt, which its warm sessions run with. */
    static final String SYSTEM_PROMPT = "You are a helpful assistant.";

    private final Path binary;
    private final String upstream;
    private final Path work;
    private final AtomicInteger dirs = new AtomicInteger();

    Claude(Path binary, String upstream, Path work) {
        this.binary = binary;
        this.upstream = upstream;
        this.work = work;
    }

    Path binary() {
        return binary;
    }

    /** {@code claude -p PROMPT --output-format json ...}: one answer, then exit. */
    List<String> oneShot(String prompt) {
        return command(List.of("-p", prompt, "--output-format", "json"));
    }

    /** Exactly {@code CliLauncher.command}: stream-json in and out, with partial messages. */
    List<String> streamJson() {
        return command(List.of("-p",
                               "--input-format", "stream-json",
                               "--output-format", "stream-json",
                               "--verbose",
                               "--include-partial-messages"));
    }

    private List<String> command(List<String> mode) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(mode);
        command.addAll(List.of("--tools", "",
                               "--model", MODEL,
                               "--system-prompt", SYSTEM_PROMPT,
                               "--no-session-persistence",
                               "--setting-sources", ""));
        return command;
    }

    /**
     * A process builder for a command, in a fresh directory {@code <work>/<prefix>-<n>/} holding the
     * empty {@code cwd/} it runs in, its {@code config/} and its {@code stderr} file.
     */
    ProcessBuilder builder(List<String> command, String prefix) throws IOException {
        Path home = work.resolve(prefix + "-" + dirs.incrementAndGet());
        Path config = Files.createDirectories(home.resolve("config"));
        Path cwd = Files.createDirectories(home.resolve("cwd"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectError(home.resolve("stderr").toFile());
        environment(builder.environment(), upstream);
        builder.environment().put("CLAUDE_CONFIG_DIR", config.toString());
        builder.environment().put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        builder.environment().put("DISABLE_AUTOUPDATER", "1");
        builder.environment().put("CLAUDE_CODE_MAX_RETRIES", "0");
        return builder;
    }

    /**
     * Points an environment at the fake API: the gateway gets the same, and passes it on to its processes.
     * Other credentials are removed so that nothing can reach the real service.
     */
    static void environment(Map<String, String> env, String upstream) {
        env.remove("ANTHROPIC_AUTH_TOKEN");
        env.remove("CLAUDE_CODE_OAUTH_TOKEN");
        env.put("ANTHROPIC_BASE_URL", upstream);
        env.put("ANTHROPIC_API_KEY", "sk-test");
    }

    /** {@code claude --version}, e.g. {@code 2.1.328 (Claude Code)}. */
    String version() throws IOException, InterruptedException {
        Process process = Children.track(builder(List.of(binary.toString(), "--version"), "version").start());
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            Children.kill(process);
        }
        return out;
    }
}
