package io.llmgateway.middleware.ratelimit;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.TenantKeys;
import io.llmgateway.api.TenantKeysFile;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Per-tenant limits from the host's keys file ({@code LLM_API_KEYS_FILE}): the words {@code rpm=N} and
 * {@code tpm=N} after a {@code key:tenant} pair. Taken anew whenever the host rereads the file; limits that do
 * not parse are reported and the ones in use kept, except at start, where they stop the gateway.
 */
final class TenantLimits {

    private final TenantKeysFile file;
    private volatile Map<String, Limits> byTenant;

    private TenantLimits(TenantKeysFile file, Map<String, Limits> byTenant) {
        this.file = file;
        this.byTenant = byTenant;
    }

    /**
     * Reads the limits in the file and follows its changes.
     *
     * @param file the host's keys file
     * @param log  where an unusable change is reported
     * @return the limits
     * @throws PluginConfigurationException when the limits in the file do not parse
     */
    static TenantLimits follow(TenantKeysFile file, System.Logger log) {
        TenantLimits limits = new TenantLimits(file, parse(file, file.current()));
        file.onChange(keys -> {
            try {
                limits.byTenant = parse(file, keys);
            } catch (PluginConfigurationException e) {
                log.log(WARNING, "keeping the per-tenant rate limits in use: " + e.getMessage());
            }
        });
        return limits;
    }

    Optional<Limits> limitsOf(String tenant) {
        return Optional.ofNullable(byTenant.get(tenant));
    }

    /** A tenant's limits are those of its last key that names any. */
    static Map<String, Limits> parse(TenantKeysFile file, TenantKeys keys) {
        Map<String, Limits> limits = new HashMap<>();
        for (TenantKeys.Entry entry : keys.entries()) {
            OptionalLong rpm = number(file, entry, "rpm");
            OptionalLong tpm = number(file, entry, "tpm");
            if (rpm.isPresent() || tpm.isPresent()) {
                limits.put(entry.tenant(), new Limits(rpm, tpm));
            }
        }
        return Map.copyOf(limits);
    }

    private static OptionalLong number(TenantKeysFile file, TenantKeys.Entry entry, String name) {
        String value = entry.attributes().get(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 1) {
                return OptionalLong.of(parsed);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PluginConfigurationException("LLM_API_KEYS_FILE " + file.path() + ": tenant " + entry.tenant() + "'s "
                                                       + name + " must be a positive integer, got '" + value + "'");
    }
}
