package io.llmgateway.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process this program starts, so that none outlives it: {@link #killAll()} runs in a shutdown
 * hook as well (an interrupted run, a failed measurement), and {@link #runningUnder} finds any process,
 * started by us or by the gateway, whose working directory lies in this run's work directory.
 */
final class Children {

    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Children::killAll, "kill-children"));
    }

    private Children() {
    }

    static Process track(Process process) {
        STARTED.add(process);
        process.onExit().thenRun(() -> STARTED.remove(process));
        return process;
    }

    /** Kills a process and its descendants at once. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void killAll() {
        List.copyOf(STARTED).forEach(Children::kill);
    }

    /**
     * Live processes whose working directory is under a directory (every claude process of the run has
     * its cwd there: the one-shot and bare ones, and the gateway's through {@code LLM_CLI_WORK_DIR}).
     */
    static List<ProcessHandle> runningUnder(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        return ProcessHandle.allProcesses()
                .filter(handle -> handle.pid() != ProcessHandle.current().pid())
                .filter(handle -> cwd(handle).map(cwd -> cwd.startsWith(root)).orElse(false))
                .toList();
    }

    static String describe(ProcessHandle handle) {
        return handle.pid() + " " + handle.info().command().orElse("?");
    }

    private static Optional<Path> cwd(ProcessHandle handle) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(handle.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty(); // gone, or not ours to look at
        }
    }
}
