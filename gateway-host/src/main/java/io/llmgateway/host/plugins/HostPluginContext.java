package io.llmgateway.host.plugins;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginMetrics;
import io.llmgateway.api.Settings;
import io.llmgateway.api.TenantKeysFile;

/**
 * The context a plugin is created with: its own validated settings and declared variables only.
 *
 * @param pluginName     the plugin's folder name
 * @param instanceName   the deployment this instance serves (the plugin's name for middleware)
 * @param config         the variables its descriptor declares
 * @param settings       its validated settings
 * @param metrics        metrics facade
 * @param logger         logger named after the plugin
 * @param scheduler      shared scheduler
 * @param clock          clock
 * @param tenantKeysFile the host's keys file, if one is configured
 */
public record HostPluginContext(String pluginName,
                                String instanceName,
                                PluginConfig config,
                                Settings settings,
                                PluginMetrics metrics,
                                System.Logger logger,
                                ScheduledExecutorService scheduler,
                                Clock clock,
                                Optional<TenantKeysFile> tenantKeysFile) implements PluginContext {
}
