package io.llmgateway.host.config;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.sun.management.UnixOperatingSystemMXBean;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.ValueTypes;

/**
 * The host's own settings, declared as plugins declare theirs, parsed by the same {@link ValueTypes}, listed by
 * {@code --help-config} and claimed against unknown {@code LLM_*} variables.
 */
public final class HostSettings {

    /** The default port. */
    public static final int DEFAULT_PORT = 5005;
    /** At most this many connections by default. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** File descriptors kept for everything but client connections: upstreams' spares, CLI pipes, jars, logs. */
    static final int RESERVED_FILE_DESCRIPTORS = 256;

    /** {@code LLM_BACKEND}. */
    public static final SettingSpec<String> BACKEND = SettingSpec.of(
                    "backend", ValueTypes.string(), "the default backend type, for models no other enabled backend serves")
            .env("LLM_BACKEND").defaultText("cli, or the first of LLM_BACKENDS");
    /** {@code LLM_BACKENDS}. */
    public static final SettingSpec<List<String>> BACKENDS = SettingSpec.of(
                    "backends", ValueTypes.list(ValueTypes.string()), "backend types to enable together, such as cli,mock")
            .env("LLM_BACKENDS").defaultText("only LLM_BACKEND");
    /** {@code LLM_PORT}. */
    public static final SettingSpec<Integer> PORT = SettingSpec.of("port", ValueTypes.integer(0, 65535),
                                                                   "HTTP port (0: any free one)")
            .env("LLM_PORT").defaultValue(DEFAULT_PORT);
    /** {@code LLM_HOST}. */
    public static final SettingSpec<String> HOST = SettingSpec.of("host", ValueTypes.string(), "address to bind")
            .env("LLM_HOST").defaultValue("0.0.0.0");
    /** {@code LLM_PLUGINS_DIR}. */
    public static final SettingSpec<Path> PLUGINS_DIR = SettingSpec.of("plugins_dir", ValueTypes.path(),
                                                                       "where plugin folders are")
            .env("LLM_PLUGINS_DIR").defaultText("the distribution's plugins/");
    /** {@code LLM_MAX_REQUEST_BYTES}. */
    public static final SettingSpec<Long> MAX_REQUEST_BYTES = SettingSpec.of(
                    "max_request_bytes", ValueTypes.bytes(1024, Integer.MAX_VALUE), "largest accepted request body")
            .env("LLM_MAX_REQUEST_BYTES").defaultValue(10L * 1024 * 1024);
    /** {@code LLM_REQUEST_TIMEOUT}. */
    public static final SettingSpec<Duration> REQUEST_TIMEOUT = SettingSpec.of(
                    "request_timeout", ValueTypes.positiveDuration(),
                    "how long a call may take; backends stop and answer 504 after it")
            .env("LLM_REQUEST_TIMEOUT").defaultValue(Duration.ofSeconds(60));
    /** {@code LLM_MAX_CONNECTIONS}. */
    public static final SettingSpec<Integer> MAX_CONNECTIONS = SettingSpec.of(
                    "max_connections", ValueTypes.integer(1, connectionsTheDescriptorsAllow()),
                    "client connections held at once; more wait in the kernel's backlog")
            .env("LLM_MAX_CONNECTIONS")
            .defaultText("min(10000, (file descriptor limit - 256) / 2)");
    /** {@code LLM_IDLE_TIMEOUT}. */
    public static final SettingSpec<Duration> IDLE_TIMEOUT = SettingSpec.of(
                    "idle_timeout", ValueTypes.positiveDuration(), "how long a kept-alive connection may wait for its next request")
            .env("LLM_IDLE_TIMEOUT").defaultValue(Duration.ofSeconds(75));
    /** {@code LLM_HEADER_TIMEOUT}. */
    public static final SettingSpec<Duration> HEADER_TIMEOUT = SettingSpec.of(
                    "header_timeout", ValueTypes.positiveDuration(), "how long a request's line and headers may take")
            .env("LLM_HEADER_TIMEOUT").defaultValue(Duration.ofSeconds(60));
    /** {@code LLM_BODY_TIMEOUT}. */
    public static final SettingSpec<Duration> BODY_TIMEOUT = SettingSpec.of(
                    "body_timeout", ValueTypes.positiveDuration(), "how long a request body may take to arrive after the headers")
            .env("LLM_BODY_TIMEOUT").defaultValue(Duration.ofSeconds(60));
    /** {@code LLM_SEND_TIMEOUT}. */
    public static final SettingSpec<Duration> SEND_TIMEOUT = SettingSpec.of(
                    "send_timeout", ValueTypes.positiveDuration(),
                    "how long one write to a client that does not read may block before the connection is closed")
            .env("LLM_SEND_TIMEOUT").defaultValue(Duration.ofSeconds(30));
    /** {@code LLM_MAX_BODY_BYTES_IN_FLIGHT}. */
    public static final SettingSpec<Long> MAX_BODY_BYTES_IN_FLIGHT = SettingSpec.of(
                    "max_body_bytes_in_flight", ValueTypes.bytes(65536, Long.MAX_VALUE),
                    "bytes all request bodies being read may hold together")
            .env("LLM_MAX_BODY_BYTES_IN_FLIGHT").defaultText("a quarter of the heap");
    /** {@code LLM_SHUTDOWN_DELAY}. */
    public static final SettingSpec<Duration> SHUTDOWN_DELAY = SettingSpec.of(
                    "shutdown_delay", ValueTypes.duration(), "how long a shutdown keeps serving while readiness answers 503")
            .env("LLM_SHUTDOWN_DELAY").defaultValue(Duration.ofSeconds(5));
    /** {@code LLM_SHUTDOWN_GRACE}. */
    public static final SettingSpec<Duration> SHUTDOWN_GRACE = SettingSpec.of(
                    "shutdown_grace", ValueTypes.duration(), "how long a shutdown then gives requests in flight to finish")
            .env("LLM_SHUTDOWN_GRACE").defaultValue(Duration.ofSeconds(30));
    /** {@code LLM_API_KEYS_FILE}. */
    public static final SettingSpec<Path> API_KEYS_FILE = SettingSpec.of(
                    "api_keys_file", ValueTypes.path(),
                    "a file of key:tenant lines (name=value words may follow, such as rpm=60), read once for every plugin"
                            + " that needs it (auth, rate limits) and reread when it changes")
            .env("LLM_API_KEYS_FILE");

    /** {@code LLM_MODEL_PATTERNS}. */
    public static final SettingSpec<List<String>> MODEL_PATTERNS = SettingSpec.of(
                    "model_patterns", ValueTypes.list(ValueTypes.string()),
                    "without LLM_CONFIG: model name globs served besides the names the backends list, each by the first"
                            + " enabled backend that takes such names (metrics count them under the glob); empty: listed names only")
            .env("LLM_MODEL_PATTERNS").defaultValue(List.of("claude-*"));
    /** {@code LLM_MAX_ATTEMPTS}. */
    public static final SettingSpec<Integer> MAX_ATTEMPTS = SettingSpec.of(
                    "max_attempts", ValueTypes.integer(1, 10),
                    "upstream attempts per request across a model's deployments and fallbacks (the router's retries)")
            .env("LLM_MAX_ATTEMPTS").defaultValue(3);
    /** {@code LLM_MAX_RETRY_WAIT}. */
    public static final SettingSpec<Duration> MAX_RETRY_WAIT = SettingSpec.of(
                    "max_retry_wait", ValueTypes.duration(),
                    "the longest the router waits before retrying a deployment; one asking for longer (retry-after) is skipped")
            .env("LLM_MAX_RETRY_WAIT").defaultValue(Duration.ofSeconds(30));
    /** {@code LLM_FIRST_DELTA_TIMEOUT}. */
    public static final SettingSpec<Duration> FIRST_DELTA_TIMEOUT = SettingSpec.of(
                    "first_delta_timeout", ValueTypes.duration(),
                    "how long an attempt may go without its first delta before the router gives up on it and tries the next"
                            + " deployment (a hung upstream); 0: only LLM_REQUEST_TIMEOUT bounds it")
            .env("LLM_FIRST_DELTA_TIMEOUT").defaultValue(Duration.ZERO);
    /** {@code LLM_BREAKER_FAILURES}. */
    public static final SettingSpec<Integer> BREAKER_FAILURES = SettingSpec.of(
                    "breaker_failures", ValueTypes.integer(0, 1000),
                    "failures in a row (within 30s) that cool a deployment down; 0 turns cooldowns off")
            .env("LLM_BREAKER_FAILURES").defaultValue(5);
    /** {@code LLM_BREAKER_COOLDOWN}. */
    public static final SettingSpec<Duration> BREAKER_COOLDOWN = SettingSpec.of(
                    "breaker_cooldown", ValueTypes.positiveDuration(),
                    "how long a deployment first cools down (doubled each time it opens again, at most 5m)")
            .env("LLM_BREAKER_COOLDOWN").defaultValue(Duration.ofSeconds(30));
    /** {@code LLM_CONFIG}. */
    public static final SettingSpec<Path> CONFIG = SettingSpec.of(
                    "config", ValueTypes.path(),
                    "a YAML file of deployments, public models, fallbacks, router and middleware settings (docs/routing.md);"
                            + " reread when it changes. Without it the backends' variables configure one deployment each")
            .env("LLM_CONFIG");
    /** {@code LLM_CONFIG_POLL}. */
    public static final SettingSpec<Duration> CONFIG_POLL = SettingSpec.of(
                    "config_poll", ValueTypes.positiveDuration(), "how often the LLM_CONFIG file is checked for a change")
            .env("LLM_CONFIG_POLL").defaultValue(Duration.ofSeconds(1));

    /** Every host setting, in the order of the table. */
    public static final List<SettingSpec<?>> ALL = List.of(BACKEND, BACKENDS, PORT, HOST, PLUGINS_DIR, MAX_REQUEST_BYTES,
                                                           REQUEST_TIMEOUT, MAX_CONNECTIONS, IDLE_TIMEOUT, HEADER_TIMEOUT,
                                                           BODY_TIMEOUT, SEND_TIMEOUT, MAX_BODY_BYTES_IN_FLIGHT,
                                                           SHUTDOWN_DELAY, SHUTDOWN_GRACE, API_KEYS_FILE, MODEL_PATTERNS, MAX_ATTEMPTS,
                                                           MAX_RETRY_WAIT, FIRST_DELTA_TIMEOUT, BREAKER_FAILURES,
                                                           BREAKER_COOLDOWN, CONFIG,
                                                           CONFIG_POLL);

    private HostSettings() {
    }

    /**
     * As many connections as the process's file descriptors allow when each may also hold one upstream, at
     * most {@value #DEFAULT_MAX_CONNECTIONS}: so accepting can never fail for want of a descriptor (the JVM
     * raises the soft limit to the hard one at start).
     *
     * @return the default
     */
    public static int defaultMaxConnections() {
        return Math.min(DEFAULT_MAX_CONNECTIONS, connectionsTheDescriptorsAllow());
    }

    /**
     * The most connections the process's file descriptor limit allows (at least 16). A higher setting is
     * refused: Helidon's listener ends for good when accepting fails for want of a descriptor.
     *
     * @return the limit
     */
    public static int connectionsTheDescriptorsAllow() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long fit = (unix.getMaxFileDescriptorCount() - RESERVED_FILE_DESCRIPTORS) / 2;
            return (int) Math.max(16, Math.min(Integer.MAX_VALUE, fit));
        }
        return Integer.MAX_VALUE;
    }
}
