package io.llmgateway.backend.cli;

import java.time.Duration;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;

/**
 * Provides the {@code cli} backend: a pool of warm {@code claude} CLI sessions. The pool starts
 * warming up at once; {@code /health/ready} turns ready when the first session is warm.
 */
public final class CliBackendProvider implements BackendProvider {

    @Override
    public String type() {
        return "cli";
    }

    @Override
    public PluginDescriptor descriptor() {
        return CliSettings.DESCRIPTOR;
    }

    /** How long a failed session stays listed in {@code /sessions}. */
    static final Duration FAILED_LISTED = Duration.ofMinutes(1);

    @Override
    public Backend create(PluginContext context) {
        return create(context, FAILED_LISTED);
    }

    /**
     * Creates the backend with a listing period of its own for failed sessions, so tests need not wait a minute.
     *
     * @param context      the plugin's context
     * @param failedListed how long a failed session stays listed
     * @return the started backend
     */
    static CliBackend create(PluginContext context, Duration failedListed) {
        CliSettings settings = CliSettings.from(context.settings());
        CliLauncher launcher = new CliLauncher(settings);
        SessionPool pool = new SessionPool(settings, launcher, new PoolMetrics(context.metrics()), context.clock(),
                                           context.logger(), context.scheduler(), failedListed);
        pool.start();
        return new CliBackend(settings, pool, context.clock(), context.logger());
    }
}
