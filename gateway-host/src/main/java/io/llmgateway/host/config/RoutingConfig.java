package io.llmgateway.host.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What the router serves, as configured: the deployments (each one instance of a backend type with its own
 * settings), the public model names mapped onto them, the router's own settings and the middleware's. Built from
 * the file {@code LLM_CONFIG} names or, without one, from today's environment variables; either way validated
 * (names unique, references resolved, no fallback cycles) before the router sees it.
 *
 * @param deployments the deployments, in the file's order
 * @param models      the public models, in the file's order
 * @param router      retry and breaker settings
 * @param middleware  settings per middleware name, as raw texts by setting key
 * @param origin      where it came from, for messages: {@code gw.yaml (sha256 3f2a9c1e)} or {@code environment}
 * @param middlewareSecrets      the values in {@code middleware} that came from secret references, masked wherever
 *                               they appear
 * @param middlewareSettingNames per middleware name and setting key, how messages name the setting, such as
 *                               {@code gw.yaml:21:16: middleware.ratelimit.rpm}; a key not listed is named by itself
 */
public record RoutingConfig(List<Deployment> deployments, List<Model> models, Router router,
                            Map<String, Map<String, String>> middleware, String origin, List<String> middlewareSecrets,
                            Map<String, Map<String, String>> middlewareSettingNames) {

    /** Copies. */
    public RoutingConfig {
        deployments = List.copyOf(deployments);
        models = List.copyOf(models);
        requireNonNull(router, "router is null");
        middleware = copyOfNested(middleware);
        requireNonNull(origin, "origin is null");
        middlewareSecrets = List.copyOf(middlewareSecrets);
        middlewareSettingNames = copyOfNested(middlewareSettingNames);
    }

    /**
     * A configuration without secrets in the middleware settings or names for them (as the environment builds it).
     *
     * @param deployments the deployments, in order
     * @param models      the public models, in order
     * @param router      retry and breaker settings
     * @param middleware  settings per middleware name, as raw texts by setting key
     * @param origin      where it came from
     */
    public RoutingConfig(List<Deployment> deployments, List<Model> models, Router router,
                         Map<String, Map<String, String>> middleware, String origin) {
        this(deployments, models, router, middleware, origin, List.of(), Map.of());
    }

    /**
     * Every value that came from a secret reference, the deployments' and the middleware's.
     *
     * @return the texts to mask
     */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        deployments.forEach(deployment -> secrets.addAll(deployment.secrets()));
        secrets.addAll(middlewareSecrets);
        return List.copyOf(secrets);
    }

    /**
     * How messages name one middleware setting.
     *
     * @param middleware the middleware's name
     * @param key        the setting's key
     * @return such as {@code gw.yaml:21:16: middleware.ratelimit.rpm}, or the key alone
     */
    public String middlewareSettingName(String middleware, String key) {
        return middlewareSettingNames.getOrDefault(middleware, Map.of()).getOrDefault(key, key);
    }

    private static Map<String, Map<String, String>> copyOfNested(Map<String, Map<String, String>> map) {
        Map<String, Map<String, String>> copy = new HashMap<>();
        map.forEach((name, settings) -> copy.put(name, Map.copyOf(settings)));
        return Map.copyOf(copy);
    }

    /**
     * A deployment by name.
     *
     * @param name the name
     * @return the deployment, if configured
     */
    public Optional<Deployment> deployment(String name) {
        return deployments.stream().filter(deployment -> deployment.name().equals(name)).findFirst();
    }

    /**
     * One instance of a backend type.
     *
     * @param name     unique among the deployments; metric label and {@code x-llm-deployment}
     * @param type     the backend type a plugin provides ({@code api}, {@code cli}, ...)
     * @param settings the backend's settings as raw text by {@code SettingSpec.key()} (a YAML list joined by commas,
     *                 a map as {@code k=v,k2=v2}); secret references already resolved
     * @param secrets  the values that came from secret references, masked wherever they appear
     * @param where    where it was declared, for messages: {@code gw.yaml:3:5} or {@code LLM_BACKENDS}
     * @param settingNames how messages name each setting, by key: {@code gw.yaml:14:5: deployments[1].settings.base_url}
     *                     (what a {@code SettingSource.nameOf} for the file returns); a key not listed is named by itself
     */
    public record Deployment(String name, String type, Map<String, String> settings, List<String> secrets,
                             String where, Map<String, String> settingNames) {
        /** Copies. */
        public Deployment {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            settings = Map.copyOf(settings);
            secrets = List.copyOf(secrets);
            requireNonNull(where, "where is null");
            settingNames = Map.copyOf(settingNames);
        }

        /**
         * A deployment whose settings are named by their keys (as the environment builds it).
         *
         * @param name     unique among the deployments
         * @param type     the backend type
         * @param settings the settings as raw text by key
         * @param secrets  the values that came from secret references
         * @param where    where it was declared
         */
        public Deployment(String name, String type, Map<String, String> settings, List<String> secrets, String where) {
            this(name, type, settings, secrets, where, Map.of());
        }

        /**
         * How messages name one setting.
         *
         * @param key the setting's key
         * @return such as {@code gw.yaml:14:5: deployments[1].settings.base_url}, or the key alone
         */
        public String settingName(String key) {
            return settingNames.getOrDefault(key, key);
        }

        /** Settings holding a secret are shown as {@code ****}, so printing a deployment prints no secret. */
        @Override
        public String toString() {
            Map<String, String> shown = new TreeMap<>();
            settings.forEach((key, value) -> shown.put(key, secrets.stream()
                    .anyMatch(secret -> !secret.isEmpty() && value.contains(secret)) ? "****" : value));
            return "Deployment[name=" + name + ", type=" + type + ", settings=" + shown + ", where=" + where + "]";
        }
    }

    /**
     * A public model name and how it is served.
     *
     * @param name                   the name clients send; with {@code pattern}, a glob such as {@code claude-*}
     * @param pattern                whether {@code name} is a glob ({@code *} any run of characters); a request for a
     *                               matching name is served under it, with its own name passed on, and counted under the
     *                               glob in metrics
     * @param strategy               how one of the healthy deployments of a tier is picked
     * @param targets                the deployments serving it
     * @param fallbacks              public models tried in order once every deployment of this one failed or is open
     * @param contextWindowFallbacks public models tried when the request does not fit this one's context window
     * @param contextWindow          the model's context window in tokens, if declared (checked against the
     *                               context-window fallbacks, which must be larger)
     * @param where                  where it was declared, for messages
     */
    public record Model(String name, boolean pattern, Strategy strategy, List<Target> targets, List<String> fallbacks,
                        List<String> contextWindowFallbacks, OptionalInt contextWindow, String where) {
        /** Copies. */
        public Model {
            requireNonNull(name, "name is null");
            requireNonNull(strategy, "strategy is null");
            targets = List.copyOf(targets);
            fallbacks = List.copyOf(fallbacks);
            contextWindowFallbacks = List.copyOf(contextWindowFallbacks);
            requireNonNull(contextWindow, "contextWindow is null");
            requireNonNull(where, "where is null");
        }
    }

    /**
     * One deployment serving a model.
     *
     * @param deployment    the deployment's name
     * @param upstreamModel the model id sent to the deployment; empty sends the public name (or, for a pattern,
     *                      the name the client asked for)
     * @param priority      the tier: lower tiers are tried first, higher ones only when a lower has no healthy
     *                      deployment left
     * @param weight        share of the tier's traffic (0: only when no other deployment of the tier is available)
     */
    public record Target(String deployment, Optional<String> upstreamModel, int priority, double weight) {
        /** Validates. */
        public Target {
            requireNonNull(deployment, "deployment is null");
            requireNonNull(upstreamModel, "upstreamModel is null");
            if (priority < 0 || weight < 0 || Double.isNaN(weight) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("priority and weight must be 0 or more");
            }
        }
    }

    /** How a deployment is picked among a tier's healthy ones. */
    public enum Strategy {
        /** Weighted random. */
        WEIGHTED,
        /** The fewest attempts in flight relative to weight (and to free sessions, for backends that report them). */
        LEAST_IN_FLIGHT,
        /** The lower latency estimate of two picked at random (peak EWMA of time to first delta). */
        LATENCY
    }

    /**
     * The router's settings.
     *
     * @param maxAttempts  upstream attempts per request across deployments and fallbacks
     * @param maxRetryWait the longest the router waits before one retry (a longer {@code retry-after} skips that
     *                     deployment rather than wait)
     * @param failures     failures in a row within {@code window} that open a deployment's breaker; 0: breakers
     *                     never open (every failure is passed on, nothing cools down)
     * @param window       the window failures are counted in
     * @param cooldown     how long a breaker first stays open (doubled at each reopening)
     * @param maxCooldown  the longest it stays open
     * @param firstDeltaTimeout how long an attempt may go without its first delta before it is abandoned and the
     *                     next deployment tried (a hung upstream); zero: only the request's deadline bounds it
     */
    public record Router(int maxAttempts, Duration maxRetryWait, int failures, Duration window, Duration cooldown,
                         Duration maxCooldown, Duration firstDeltaTimeout) {
        /** The defaults. */
        public static final Router DEFAULTS = new Router(3, Duration.ofSeconds(30), 5, Duration.ofSeconds(30),
                                                         Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ZERO);

        /**
         * Settings without a first-delta timeout.
         *
         * @param maxAttempts  upstream attempts per request
         * @param maxRetryWait the longest wait before one retry
         * @param failures     failures in a row that open a breaker; 0: never
         * @param window       the window they are counted in
         * @param cooldown     the first open time
         * @param maxCooldown  the longest open time
         */
        public Router(int maxAttempts, Duration maxRetryWait, int failures, Duration window, Duration cooldown,
                      Duration maxCooldown) {
            this(maxAttempts, maxRetryWait, failures, window, cooldown, maxCooldown, Duration.ZERO);
        }

        /** {@return whether breakers open at all} */
        public boolean cooldowns() {
            return failures > 0;
        }

        /** Validates. */
        public Router {
            requireNonNull(maxRetryWait, "maxRetryWait is null");
            requireNonNull(window, "window is null");
            requireNonNull(cooldown, "cooldown is null");
            requireNonNull(maxCooldown, "maxCooldown is null");
            requireNonNull(firstDeltaTimeout, "firstDeltaTimeout is null");
            if (maxAttempts < 1 || failures < 0 || firstDeltaTimeout.isNegative()) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, failures at least 0");
            }
        }
    }
}
