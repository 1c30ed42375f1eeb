package io.llmgateway.middleware.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;

import io.llmgateway.api.PluginConfigurationException;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The keys file ({@code LLM_API_KEYS_FILE}), read at start and again whenever it changes (checked every
 * second: its modification time and size). A file that no longer parses is reported and the keys in
 * use are kept; at start, it stops the gateway.
 */
final class KeysFile {

    private final Path path;
    private final System.Logger log;
    private Stamp stamp;

    KeysFile(Path path, System.Logger log) {
        this.path = path;
        this.log = log;
    }

    /**
     * Reads the file for the first time.
     *
     * @return its keys
     * @throws PluginConfigurationException when it cannot be read or parsed
     */
    ApiKeys load() {
        try {
            stamp = Stamp.of(path);
            return ApiKeys.parse(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw new PluginConfigurationException("LLM_API_KEYS_FILE " + path + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads the file again if it changed since it was last read.
     *
     * @return the new keys, or empty when the file did not change or cannot be used
     */
    Optional<ApiKeys> reloadIfChanged() {
        try {
            Stamp now = Stamp.of(path);
            if (Objects.equals(now, stamp)) {
                return Optional.empty();
            }
            stamp = now;
            ApiKeys keys = ApiKeys.parse(Files.readString(path), path.toString());
            log.log(INFO, () -> "reloaded " + keys.size() + " API key(s) from " + path);
            return Optional.of(keys);
        } catch (IOException | PluginConfigurationException e) {
            log.log(WARNING, "keeping the API keys in use: " + path + " cannot be used (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private record Stamp(FileTime modified, long size) {
        static Stamp of(Path path) throws IOException {
            return new Stamp(Files.getLastModifiedTime(path), Files.size(path));
        }
    }

}
