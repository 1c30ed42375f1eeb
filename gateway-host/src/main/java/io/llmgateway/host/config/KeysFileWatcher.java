package io.llmgateway.host.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.TenantKeys;
import io.llmgateway.api.TenantKeysFile;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The tenants' keys file ({@code LLM_API_KEYS_FILE}), read and parsed once for every plugin that needs it and
 * reread when its modification time or size changes (looked at every second). A change that cannot be read or
 * parsed is logged and the keys in use are kept; at start, it stops the gateway.
 */
public final class KeysFileWatcher implements TenantKeysFile {

    /** How often the file is looked at. */
    static final Duration POLL = Duration.ofSeconds(1);

    private static final System.Logger LOGGER = System.getLogger(KeysFileWatcher.class.getName());

    private final Path path;
    private final List<Consumer<TenantKeys>> listeners = new CopyOnWriteArrayList<>();
    private volatile TenantKeys current;
    private Stamp stamp;

    private KeysFileWatcher(Path path) {
        this.path = path;
    }

    /**
     * Reads the file and starts watching it.
     *
     * @param path      the file
     * @param scheduler runs the checks
     * @param poll      how often to look
     * @return the watcher
     * @throws PluginConfigurationException when the file cannot be read or parsed
     */
    public static KeysFileWatcher start(Path path, ScheduledExecutorService scheduler, Duration poll) {
        KeysFileWatcher watcher = new KeysFileWatcher(path);
        try {
            watcher.stamp = Stamp.of(path);
            watcher.current = parse(path, Files.readString(path));
        } catch (IOException e) {
            throw new PluginConfigurationException("LLM_API_KEYS_FILE " + path + " cannot be read: " + e.getMessage());
        }
        scheduler.scheduleWithFixedDelay(watcher::reloadIfChanged, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    /**
     * Reads and watches the file, looking every second.
     *
     * @param path      the file
     * @param scheduler runs the checks
     * @return the watcher
     */
    public static KeysFileWatcher start(Path path, ScheduledExecutorService scheduler) {
        return start(path, scheduler, POLL);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public TenantKeys current() {
        return current;
    }

    @Override
    public void onChange(Consumer<TenantKeys> listener) {
        listeners.add(listener);
    }

    void reloadIfChanged() {
        try {
            Stamp now = Stamp.of(path);
            if (Objects.equals(now, stamp)) {
                return;
            }
            stamp = now;
            TenantKeys keys = parse(path, Files.readString(path));
            current = keys;
            LOGGER.log(INFO, () -> "reloaded " + keys.size() + " API key(s) from " + path);
            for (Consumer<TenantKeys> listener : listeners) {
                try {
                    listener.accept(keys);
                } catch (RuntimeException e) {
                    LOGGER.log(WARNING, "a plugin could not take the reloaded keys of " + path + ": " + e.getMessage());
                }
            }
        } catch (IOException | PluginConfigurationException e) {
            LOGGER.log(WARNING, "keeping the API keys in use: " + path + " cannot be used (" + e.getMessage() + ")");
        }
    }

    private static TenantKeys parse(Path path, String text) {
        try {
            return TenantKeys.parse(text);
        } catch (IllegalArgumentException e) {
            throw new PluginConfigurationException("LLM_API_KEYS_FILE " + path + " " + e.getMessage());
        }
    }

    private record Stamp(FileTime modified, long size) {
        static Stamp of(Path path) throws IOException {
            return new Stamp(Files.getLastModifiedTime(path), Files.size(path));
        }
    }
}
