package io.llmgateway.host;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.sun.management.UnixOperatingSystemMXBean;
import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.host.connection.ConnectionLimits;

/**
 * The host's own settings, read from environment variables (every key is documented in the README).
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
 * @param source          all configuration, handed on to plugins
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
                            PluginConfig source) {

    static final int DEFAULT_PORT = 5005;
    static final String DEFAULT_BACKEND = "cli";
    static final int DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** File descriptors kept for everything but client connections: upstreams' spares, CLI pipes, jars, logs. */
    static final int RESERVED_FILE_DESCRIPTORS = 256;

    /**
     * Validates and copies.
     */
    public GatewayConfig {
        enabledBackends = List.copyOf(enabledBackends);
        if (enabledBackends.isEmpty() || !enabledBackends.getFirst().equals(defaultBackend)) {
            throw new IllegalArgumentException("the default backend must come first in enabledBackends");
        }
    }

    /**
     * Reads the configuration.
     *
     * @param source where values come from (the environment in production)
     * @return the configuration
     * @throws PluginConfigurationException naming the key whose value is unusable
     */
    public static GatewayConfig from(PluginConfig source) {
        List<String> listed = source.value("LLM_BACKENDS").map(GatewayConfig::backendList).orElse(List.of());
        String defaultBackend = source.value("LLM_BACKEND")
                .map(value -> value.trim().toLowerCase(Locale.ROOT))
                .orElse(listed.isEmpty() ? DEFAULT_BACKEND : listed.getFirst());
        List<String> enabled = new ArrayList<>();
        enabled.add(defaultBackend);
        listed.stream().filter(type -> !enabled.contains(type)).forEach(enabled::add);

        return new GatewayConfig(source.string("LLM_HOST", "0.0.0.0"),
                                 source.integer("LLM_PORT", DEFAULT_PORT, 0, 65535),
                                 defaultBackend,
                                 enabled,
                                 Path.of(source.string("LLM_PLUGINS_DIR", "plugins")).toAbsolutePath().normalize(),
                                 source.integer("LLM_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES, 1024, Integer.MAX_VALUE),
                                 positive(source, "LLM_REQUEST_TIMEOUT", Duration.ofSeconds(60)),
                                 new ConnectionLimits(
                                         source.integer("LLM_MAX_CONNECTIONS", defaultMaxConnections(), 1,
                                                        connectionsTheDescriptorsAllow()),
                                         positive(source, "LLM_IDLE_TIMEOUT", Duration.ofSeconds(75)),
                                         positive(source, "LLM_HEADER_TIMEOUT", Duration.ofSeconds(60)),
                                         positive(source, "LLM_BODY_TIMEOUT", Duration.ofSeconds(60)),
                                         positive(source, "LLM_SEND_TIMEOUT", Duration.ofSeconds(30))),
                                 source.bytes("LLM_MAX_BODY_BYTES_IN_FLIGHT", Runtime.getRuntime().maxMemory() / 4, 65536),
                                 source.seconds("LLM_SHUTDOWN_DELAY", Duration.ofSeconds(5)),
                                 source.seconds("LLM_SHUTDOWN_GRACE", Duration.ofSeconds(30)),
                                 source);
    }

    /**
     * As many connections as the process's file descriptors allow when each may also hold one upstream, at
     * most {@value #DEFAULT_MAX_CONNECTIONS}: so accepting can never fail for want of a descriptor (the JVM
     * raises the soft limit to the hard one at start).
     */
    static int defaultMaxConnections() {
        return Math.min(DEFAULT_MAX_CONNECTIONS, connectionsTheDescriptorsAllow());
    }

    /**
     * The most connections the process's file descriptor limit allows (at least 16). A higher setting is
     * refused: Helidon's listener ends for good when accepting fails for want of a descriptor.
     */
    static int connectionsTheDescriptorsAllow() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long fit = (unix.getMaxFileDescriptorCount() - RESERVED_FILE_DESCRIPTORS) / 2;
            return (int) Math.max(16, Math.min(Integer.MAX_VALUE, fit));
        }
        return Integer.MAX_VALUE;
    }

    private static List<String> backendList(String value) {
        List<String> types = new ArrayList<>();
        for (String part : value.split(",")) {
            String type = part.trim().toLowerCase(Locale.ROOT);
            if (!type.isEmpty() && !types.contains(type)) {
                types.add(type);
            }
        }
        return types;
    }

    private static Duration positive(PluginConfig source, String key, Duration defaultValue) {
        Duration value = source.seconds(key, defaultValue);
        if (value.isZero()) {
            throw new PluginConfigurationException(key + " must be more than 0 seconds");
        }
        return value;
    }
}
