package io.llmgateway.host.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Watches the {@code LLM_CONFIG} file by polling: every {@code LLM_CONFIG_POLL} it reads the bytes (through
 * symlinks, so a Kubernetes ConfigMap's {@code ..data} swap is seen like an edit in place or a rename) and hashes
 * them. A new hash is delivered once the next poll sees it again, so a file caught half-written is not; each content
 * is delivered once, whether the listener takes it or refuses it, until the content changes again. A file that
 * cannot be read (deleted, unreadable) logs one line and the polling goes on. It never parses: that is the
 * listener's job ({@link ConfigFile}).
 */
public final class ConfigFileWatcher implements AutoCloseable {

    /** Larger than any YAML the engine accepts (3 Mi code points), so such a file is read and refused by it. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final System.Logger LOGGER = System.getLogger(ConfigFileWatcher.class.getName());

    private final Path path;
    private final Duration poll;
    private final Consumer<Content> listener;
    private String delivered;
    private String pending;
    private boolean failing;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> task;

    ConfigFileWatcher(Path path, String loadedSha256, Duration poll, Consumer<Content> listener) {
        this.path = requireNonNull(path, "path is null");
        this.delivered = requireNonNull(loadedSha256, "loadedSha256 is null");
        this.poll = requireNonNull(poll, "poll is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /**
     * A file's content and its hash.
     *
     * @param bytes  the content (copied: the record holds its own)
     * @param sha256 its SHA-256, 64 lower-case hex digits
     */
    public record Content(byte[] bytes, String sha256) {
        /** Copies. */
        public Content {
            bytes = bytes.clone();
            requireNonNull(sha256, "sha256 is null");
        }

        /**
         * The content.
         *
         * @return a copy of the bytes
         */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /**
         * Some bytes and their hash.
         *
         * @param bytes the content
         * @return the content with its hash
         */
        public static Content of(byte[] bytes) {
            return new Content(bytes, ConfigFile.sha256(bytes));
        }

        /** Equal when the hashes are (a record compares arrays by identity). */
        @Override
        public boolean equals(Object other) {
            return other instanceof Content content && content.sha256.equals(sha256);
        }

        @Override
        public int hashCode() {
            return sha256.hashCode();
        }

        @Override
        public String toString() {
            return "Content[" + bytes.length + " bytes, sha256 " + sha256 + "]";
        }
    }

    /**
     * Reads a file through symlinks, as the watcher does (for the first load at start).
     *
     * @param path the file
     * @return its content
     * @throws IOException when it cannot be read, or is larger than 16 MiB
     */
    public static Content read(Path path) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException("it is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
        }
        return Content.of(bytes);
    }

    /**
     * Starts watching a file already loaded.
     *
     * @param path         the file ({@code LLM_CONFIG})
     * @param loadedSha256 the hash of the content in use, which is not delivered again
     * @param poll         how often to look ({@code LLM_CONFIG_POLL})
     * @param scheduler    runs the polls
     * @param listener     takes each new content (on the scheduler's thread); what it throws is logged
     * @return the watcher; {@link #close()} stops it
     */
    public static ConfigFileWatcher start(Path path, String loadedSha256, Duration poll,
                                          ScheduledExecutorService scheduler, Consumer<Content> listener) {
        ConfigFileWatcher watcher = new ConfigFileWatcher(path, loadedSha256, poll, listener);
        watcher.task = scheduler.scheduleWithFixedDelay(watcher::pollQuietly, poll.toNanos(), poll.toNanos(),
                                                        TimeUnit.NANOSECONDS);
        return watcher;
    }

    /** Stops polling; a content being delivered is still delivered, none after. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> scheduled = task;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    /** One look at the file; the scheduler calls it, tests call it directly. Not safe to call concurrently. */
    void poll() {
        if (closed) {
            return;
        }
        Content content;
        try {
            content = read(path);
        } catch (IOException e) {
            pending = null;
            if (!failing) {
                failing = true;
                LOGGER.log(WARNING, "config file " + path + " cannot be read (" + describe(e)
                        + "); keeping the configuration in use and looking again every " + poll.toMillis() + " ms");
            }
            return;
        }
        failing = false;
        String hash = content.sha256();
        if (hash.equals(delivered)) {
            pending = null;
        } else if (hash.equals(pending)) {
            delivered = hash;
            pending = null;
            if (closed) {
                return;
            }
            try {
                listener.accept(content);
            } catch (RuntimeException e) {
                LOGGER.log(WARNING, "config file " + path + " (sha256 " + hash.substring(0, 8)
                        + ") could not be applied: " + e.getMessage());
            }
        } else {
            pending = hash;
        }
    }

    /** A poll that throws would end the scheduled task for good. */
    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOGGER.log(WARNING, "config file " + path + " could not be checked: " + e);
        }
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "it does not exist";
            case "AccessDeniedException" -> "permission denied";
            case "IOException" -> e.getMessage();
            default -> kind;
        };
    }
}
