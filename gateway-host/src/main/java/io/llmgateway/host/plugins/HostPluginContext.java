package io.llmgateway.host.plugins;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginMetrics;

/**
 * The context a plugin is created with.
 *
 * @param pluginName the plugin's folder name
 * @param config     configuration
 * @param metrics    metrics facade
 * @param logger     logger named after the plugin
 * @param scheduler  shared scheduler
 * @param clock      clock
 */
public record HostPluginContext(String pluginName,
                                PluginConfig config,
                                PluginMetrics metrics,
                                System.Logger logger,
                                ScheduledExecutorService scheduler,
                                Clock clock) implements PluginContext {
}
