package io.llmgateway.backend.cli;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginContext;

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
    public Backend create(PluginContext context) {
        CliSettings settings = CliSettings.from(context.config());
        CliLauncher launcher = new CliLauncher(settings, context.config());
        SessionPool pool = new SessionPool(settings, launcher, new PoolMetrics(context.metrics()), context.clock(),
                                           context.logger(), context.scheduler());
        pool.start();
        return new CliBackend(settings, pool, context.logger());
    }
}
