package io.llmgateway.middleware.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.Settings;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.TenantKeys;
import io.llmgateway.api.TenantKeysFile;
import io.llmgateway.api.ValueTypes;

/**
 * Provides the auth middleware when {@code LLM_API_KEYS} is set or the host reads a keys file
 * ({@code LLM_API_KEYS_FILE}); both may be, and their keys add up. Without either, calls are not authenticated.
 */
public final class AuthMiddlewareProvider implements MiddlewareProvider {

    /** First in the chain: nothing else runs for a caller without a key, and all after know the tenant. */
    static final int WEIGHT = 300;
    /** Enough for a person mistyping, far too few for guessing: then one a second, 86,400 a day. */
    static final int DEFAULT_FAILURE_BURST = 20;
    static final Duration DEFAULT_FAILURE_REFILL = Duration.ofSeconds(1);

    static final SettingSpec<TenantKeys> KEYS = SettingSpec.of(
                    "keys", ValueTypes.tenantKeys(),
                    "key:tenant pairs, comma-separated; unset, and no LLM_API_KEYS_FILE: calls are not authenticated")
            .env("LLM_API_KEYS");
    static final SettingSpec<Integer> FAILURE_BURST = SettingSpec.of(
                    "failure_burst", ValueTypes.integer(0, 1_000_000),
                    "failed authentications a client address may make before it is refused (0: no limit)")
            .env("LLM_AUTH_FAILURE_BURST").defaultValue(DEFAULT_FAILURE_BURST);
    static final SettingSpec<Duration> FAILURE_REFILL = SettingSpec.of(
                    "failure_refill", ValueTypes.positiveDuration(), "after this long a refused address may fail once more")
            .env("LLM_AUTH_FAILURE_REFILL").defaultValue(DEFAULT_FAILURE_REFILL);
    /** What the plugin declares; the keys file is the host's ({@link PluginContext#tenantKeysFile()}). */
    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.middleware(
            "auth", SpiVersion.MAJOR, SpiVersion.MINOR,
            "API keys (Authorization: Bearer or x-api-key) name the caller's tenant; other calls get a 401",
            List.of(KEYS, FAILURE_BURST, FAILURE_REFILL));

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Middleware> create(PluginContext context) {
        Settings settings = context.settings();
        Optional<TenantKeys> inline = settings.find(KEYS);
        Optional<TenantKeysFile> file = context.tenantKeysFile();
        if (inline.isEmpty() && file.isEmpty()) {
            return Optional.empty();
        }
        Optional<FailedAuthLimit> failures = failedAuthLimit(settings, context);
        TenantKeys fixed = inline.orElse(TenantKeys.NONE);
        AuthMiddleware middleware = new AuthMiddleware(ApiKeys.of(file.map(keys -> fixed.and(keys.current())).orElse(fixed)),
                                                       failures, context.metrics());
        // a key both name belongs to the file's tenant
        file.ifPresent(keys -> keys.onChange(reloaded -> middleware.keys(ApiKeys.of(fixed.and(reloaded)))));
        return Optional.of(middleware);
    }

    /** {@code LLM_AUTH_FAILURE_BURST} failures per address (0: no limit), then one per {@code LLM_AUTH_FAILURE_REFILL}. */
    private static Optional<FailedAuthLimit> failedAuthLimit(Settings settings, PluginContext context) {
        int burst = settings.get(FAILURE_BURST);
        Duration refill = settings.get(FAILURE_REFILL);
        return burst == 0 ? Optional.empty() : Optional.of(new FailedAuthLimit(burst, refill, context.clock()));
    }
}
