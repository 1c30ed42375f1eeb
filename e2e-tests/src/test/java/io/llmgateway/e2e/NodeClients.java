package io.llmgateway.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Node client scripts of {@code e2e-tests/node} (the OpenAI Node SDK, the Vercel AI SDK, LangChain JS,
 * pinned by its package-lock.json): installed with {@code npm ci} when {@code node_modules} is missing, then
 * run with {@code node} against a gateway named by URL, so the same scripts serve every backend. Each
 * script's output goes to {@code target/e2e/node-SCRIPT.log}.
 */
final class NodeClients {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    private NodeClients() {
    }

    /**
     * The scripts' folder, with its packages installed.
     *
     * @return {@code e2e-tests/node}
     * @throws IOException          when npm cannot be started
     * @throws InterruptedException when interrupted while npm runs
     * @throws IllegalStateException when npm fails (with its output)
     */
    static synchronized Path installed() throws IOException, InterruptedException {
        Path dir = BuiltArtifacts.nodeClients();
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            Ran install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), dir, Map.of(), "npm-ci", INSTALL_TIMEOUT);
            if (install.status() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed with status " + install.status() + ":\n"
                                                        + install.output());
            }
        }
        return dir;
    }

    /**
     * Runs one script against a gateway.
     *
     * @param script  such as {@code openai-sdk.mjs}
     * @param baseUrl the gateway's OpenAI base URL ({@code http://127.0.0.1:PORT/v1})
     * @param model   the model the script asks for
     * @param backend the backend type behind it ({@code mock} turns on the mock's own checks)
     * @return how it ended and what it printed
     * @throws IOException          when node cannot be started
     * @throws InterruptedException when interrupted while it runs
     */
    static Ran run(String script, String baseUrl, String model, String backend) throws IOException, InterruptedException {
        return run(script, baseUrl, model, backend, "node-" + script.replace(".mjs", ""));
    }

    /**
     * Runs one script against a gateway, its output to {@code target/e2e/LOG.log}.
     *
     * @param script  such as {@code openai-sdk.mjs}
     * @param baseUrl the gateway's OpenAI base URL ({@code http://127.0.0.1:PORT/v1})
     * @param model   the model the script asks for
     * @param backend the backend type behind it ({@code mock} turns on the mock's own checks)
     * @param log     names the output file, for runs of one script against several gateways
     * @return how it ended and what it printed
     * @throws IOException          when node cannot be started
     * @throws InterruptedException when interrupted while it runs
     */
    static Ran run(String script, String baseUrl, String model, String backend, String log)
            throws IOException, InterruptedException {
        Path dir = installed();
        return run(List.of("node", script), dir,
                   Map.of("GATEWAY_BASE_URL", baseUrl, "GATEWAY_MODEL", model, "GATEWAY_BACKEND", backend),
                   log, RUN_TIMEOUT);
    }

    private static Ran run(List<String> command, Path dir, Map<String, String> environment, String name, Duration timeout)
            throws IOException, InterruptedException {
        Path log = BuiltArtifacts.workDir().resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(command.getFirst() + " could not be started (Node.js 20+ and npm must be on PATH): "
                                          + e.getMessage(), e);
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return new Ran(-1, Files.readString(log) + "\n(killed after " + timeout + ")");
        }
        return new Ran(process.exitValue(), Files.readString(log));
    }

    /**
     * How a run ended.
     *
     * @param status its exit status (-1 when it was killed)
     * @param output what it printed, stdout and stderr together
     */
    record Ran(int status, String output) {
    }
}
