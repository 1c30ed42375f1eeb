package io.llmgateway.middleware.ratelimit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import io.llmgateway.api.PluginConfigurationException;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Per-tenant limits from the keys file the auth middleware reads ({@code LLM_API_KEYS_FILE}): words
 * {@code rpm=N} and {@code tpm=N} after a {@code key:tenant} pair. Reread when the file changes.
 */
final class TenantLimitsFile {

    private final Path path;
    private final System.Logger log;
    private volatile Map<String, Limits> byTenant = Map.of();
    private Stamp stamp;

    TenantLimitsFile(Path path, System.Logger log) {
        this.path = path;
        this.log = log;
    }

    /** Reads the file; at start a bad file stops the gateway, later it is reported and ignored. */
    void load(boolean atStart) {
        try {
            Stamp now = new Stamp(Files.getLastModifiedTime(path), Files.size(path));
            if (Objects.equals(now, stamp)) {
                return;
            }
            stamp = now;
            byTenant = parse(Files.readString(path));
        } catch (IOException | PluginConfigurationException e) {
            if (atStart) {
                throw new PluginConfigurationException("LLM_API_KEYS_FILE " + path + " cannot be used for rate limits: "
                                                               + e.getMessage());
            }
            log.log(WARNING, "keeping the per-tenant rate limits in use: " + path + " cannot be used (" + e.getMessage()
                    + ")");
        }
    }

    Optional<Limits> limitsOf(String tenant) {
        return Optional.ofNullable(byTenant.get(tenant));
    }

    static Map<String, Limits> parse(String text) {
        Map<String, Limits> limits = new HashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].contains("#") ? lines[i].substring(0, lines[i].indexOf('#')) : lines[i];
            String[] words = line.strip().split("\\s+");
            if (words.length < 2) {
                continue;
            }
            String tenant = words[0].substring(words[0].lastIndexOf(':') + 1);
            OptionalLong rpm = OptionalLong.empty();
            OptionalLong tpm = OptionalLong.empty();
            for (int w = 1; w < words.length; w++) {
                String word = words[w];
                if (word.startsWith("rpm=")) {
                    rpm = OptionalLong.of(number(word.substring(4), i));
                } else if (word.startsWith("tpm=")) {
                    tpm = OptionalLong.of(number(word.substring(4), i));
                }
            }
            limits.put(tenant, new Limits(rpm, tpm));
        }
        return Map.copyOf(limits);
    }

    private static long number(String value, int line) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new PluginConfigurationException("line " + (line + 1) + ": rpm and tpm must be positive integers, got '"
                                                           + value + "'");
        }
    }

    private record Stamp(FileTime modified, long size) {
    }
}
