package io.llmgateway.api;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the host gives a plugin when creating it.
 */
public interface PluginContext {

    /**
     * The plugin's name: its folder under the plugins directory.
     *
     * @return the plugin name
     */
    String pluginName();

    /**
     * Configuration: environment variables such as {@code LLM_POOL_SIZE}.
     *
     * @return the configuration
     */
    PluginConfig config();

    /**
     * Metrics, exported by the host at {@code /metrics}.
     *
     * @return the metrics facade
     */
    PluginMetrics metrics();

    /**
     * A logger named after the plugin.
     *
     * @return the logger
     */
    System.Logger logger();

    /**
     * A shared scheduler for background work (keep-alives, reloads); tasks must not block for long.
     *
     * @return the scheduler
     */
    ScheduledExecutorService scheduler();

    /**
     * The clock to use for all timing, so tests can control time.
     *
     * @return the clock
     */
    Clock clock();
}
