package io.llmgateway.api;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the host gives a plugin when creating it. Methods added after SPI 1.0 are default methods, so a
 * context written against an older SPI still compiles.
 */
public interface PluginContext {

    /**
     * The plugin's name: its folder under the plugins directory.
     *
     * @return the plugin name
     */
    String pluginName();

    /**
     * The name of this instance of the plugin, for logs and metrics: its plugin's name while each plugin runs
     * once, a deployment's name once several instances of one plugin can run.
     *
     * @return the instance name
     */
    default String instanceName() {
        return pluginName();
    }

    /**
     * Raw configuration text by environment variable name. In the host it holds only the variables the
     * plugin's descriptor declares; read typed values through {@link #settings()} instead.
     *
     * @return the configuration
     */
    PluginConfig config();

    /**
     * This instance's settings, parsed and validated by the {@link SettingSpec}s of the plugin's
     * {@link PluginDescriptor}: the host binds them before it creates the plugin, so an unusable value has
     * already stopped start-up. A context without a descriptor at hand (a test's) parses them from
     * {@link #config()} when they are read.
     *
     * @return the settings
     */
    default Settings settings() {
        return Settings.parsedOnRead(SettingSource.environment(config()));
    }

    /**
     * The tenants' keys file, read and parsed once by the host for every plugin ({@code LLM_API_KEYS_FILE}).
     *
     * @return the file, empty when none is configured
     */
    default Optional<TenantKeysFile> tenantKeysFile() {
        return Optional.empty();
    }

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
