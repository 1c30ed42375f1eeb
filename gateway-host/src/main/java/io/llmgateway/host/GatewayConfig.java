package io.llmgateway.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.Settings;
import io.llmgateway.host.config.Environment;
import io.llmgateway.host.config.HostSettings;
import io.llmgateway.host.config.RoutingConfig;
import io.llmgateway.host.connection.ConnectionLimits;

/**
 * The host's own settings ({@link HostSettings} declares each), read from environment variables.
 *
 * @param host            address to bind ({@code LLM_HOST}, default all interfaces)
 * @param port            port ({@code LLM_PORT}, default 5005; 0 picks a free one)
 * @param defaultBackend  the backend for models no other backend claims ({@code LLM_BACKEND}, default cli)
 * @param enabledBackends every enabled backend type, the default first ({@code LLM_BACKENDS})
 * @param pluginsDir      where plugin folders are ({@code LLM_PLUGINS_DIR})
 * @param maxRequestBytes largest accepted request body ({@code LLM_MAX_REQUEST_BYTES}, default 10 MiB)
 * @param requestTimeout  how long a call may take ({@code LLM_REQUEST_TIMEOUT} seconds, default 60)
 * @param connections     connection count and timeouts ({@code LLM_MAX_CONNECTIONS}, {@code LLM_IDLE_TIMEOUT},
 *                        {@code LLM_HEADER_TIMEOUT}, {@code LLM_BODY_TIMEOUT}, {@code LLM_SEND_TIMEOUT})
 * @param bodyBytes       request body bytes all requests together may hold while being read
 *                        ({@code LLM_MAX_BODY_BYTES_IN_FLIGHT}, default a quarter of the heap)
 * @param shutdownDelay   how long a shutdown keeps serving while readiness already says 503
 *                        ({@code LLM_SHUTDOWN_DELAY} seconds, default 5)
 * @param shutdownGrace   how long a shutdown lets requests in flight finish ({@code LLM_SHUTDOWN_GRACE},
 *                        default 30)
 * @param keysFile        the tenants' keys file the host reads for every plugin ({@code LLM_API_KEYS_FILE})
 * @param modelPatterns   without a configuration file: globs served besides the listed model names
 * @param router          the router's settings from the variables (the file's {@code router} section overrides them)
 * @param configFile      the deployments file ({@code LLM_CONFIG}), if any
 * @param configPoll      how often it is checked for a change
 * @param environment     all variables, from which each plugin gets what its descriptor declares
 */
public record GatewayConfig(String host,
                            int port,
                            String defaultBackend,
                            List<String> enabledBackends,
                            Path pluginsDir,
                            long maxRequestBytes,
                            Duration requestTimeout,
                            ConnectionLimits connections,
                            long bodyBytes,
                            Duration shutdownDelay,
                            Duration shutdownGrace,
                            Optional<Path> keysFile,
                            List<String> modelPatterns,
                            RoutingConfig.Router router,
                            Optional<Path> configFile,
                            Duration configPoll,
                            Environment environment) {

    static final String DEFAULT_BACKEND = "cli";

    /**
     * Validates and copies.
     */
    public GatewayConfig {
        enabledBackends = List.copyOf(enabledBackends);
        modelPatterns = List.copyOf(modelPatterns);
        if (enabledBackends.isEmpty() || !enabledBackends.getFirst().equals(defaultBackend)) {
            throw new IllegalArgumentException("the default backend must come first in enabledBackends");
        }
    }

    /**
     * Reads the configuration.
     *
     * @param environment the variables (the process environment in production)
     * @return the configuration
     * @throws PluginConfigurationException naming the variable whose value is unusable
     */
    public static GatewayConfig from(Environment environment) {
        Settings settings = Settings.bind(HostSettings.ALL, environment.source());
        List<String> listed = backendList(settings.find(HostSettings.BACKENDS).orElse(List.of()));
        String defaultBackend = settings.find(HostSettings.BACKEND)
                .map(value -> value.trim().toLowerCase(Locale.ROOT))
                .orElse(listed.isEmpty() ? DEFAULT_BACKEND : listed.getFirst());
        List<String> enabled = new ArrayList<>();
        enabled.add(defaultBackend);
        listed.stream().filter(type -> !enabled.contains(type)).forEach(enabled::add);

        return new GatewayConfig(settings.get(HostSettings.HOST),
                                 settings.get(HostSettings.PORT),
                                 defaultBackend,
                                 enabled,
                                 settings.find(HostSettings.PLUGINS_DIR).orElse(Path.of("plugins")).toAbsolutePath().normalize(),
                                 settings.get(HostSettings.MAX_REQUEST_BYTES),
                                 settings.get(HostSettings.REQUEST_TIMEOUT),
                                 new ConnectionLimits(
                                         settings.find(HostSettings.MAX_CONNECTIONS)
                                                 .orElseGet(HostSettings::defaultMaxConnections),
                                         settings.get(HostSettings.IDLE_TIMEOUT),
                                         settings.get(HostSettings.HEADER_TIMEOUT),
                                         settings.get(HostSettings.BODY_TIMEOUT),
                                         settings.get(HostSettings.SEND_TIMEOUT)),
                                 settings.find(HostSettings.MAX_BODY_BYTES_IN_FLIGHT)
                                         .orElseGet(() -> Runtime.getRuntime().maxMemory() / 4),
                                 settings.get(HostSettings.SHUTDOWN_DELAY),
                                 settings.get(HostSettings.SHUTDOWN_GRACE),
                                 settings.find(HostSettings.API_KEYS_FILE),
                                 settings.get(HostSettings.MODEL_PATTERNS).stream().map(String::trim)
                                         .filter(pattern -> !pattern.isEmpty()).toList(),
                                 router(settings),
                                 settings.find(HostSettings.CONFIG),
                                 settings.get(HostSettings.CONFIG_POLL),
                                 environment);
    }

    /** The router's settings; a cooldown set above the longest one raises the longest with it. */
    private static RoutingConfig.Router router(Settings settings) {
        Duration cooldown = settings.get(HostSettings.BREAKER_COOLDOWN);
        Duration longest = RoutingConfig.Router.DEFAULTS.maxCooldown();
        return new RoutingConfig.Router(settings.get(HostSettings.MAX_ATTEMPTS), settings.get(HostSettings.MAX_RETRY_WAIT),
                                        settings.get(HostSettings.BREAKER_FAILURES), RoutingConfig.Router.DEFAULTS.window(),
                                        cooldown, cooldown.compareTo(longest) > 0 ? cooldown : longest,
                                        settings.get(HostSettings.FIRST_DELTA_TIMEOUT));
    }

    private static List<String> backendList(List<String> values) {
        List<String> types = new ArrayList<>();
        for (String value : values) {
            String type = value.trim().toLowerCase(Locale.ROOT);
            if (!type.isEmpty() && !types.contains(type)) {
                types.add(type);
            }
        }
        return types;
    }
}
