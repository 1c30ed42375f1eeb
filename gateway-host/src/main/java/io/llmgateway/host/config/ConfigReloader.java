package io.llmgateway.host.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginMetrics;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Keeps the routing in step with the {@code LLM_CONFIG} file: each new settled content is parsed, checked and
 * applied (the router starts what is new and swaps); a file that fails any of it is refused with one log line
 * naming the reason, and the routing loaded before keeps serving. Counted in
 * {@code llm_config_reloads_total{result="applied"|"refused"}}.
 */
public final class ConfigReloader implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(ConfigReloader.class.getName());

    private final Path path;
    private final Environment environment;
    private final Consumer<RoutingConfig> apply;
    private final PluginMetrics.Counter applied;
    private final PluginMetrics.Counter refused;
    private volatile RoutingConfig loaded;
    private ConfigFileWatcher watcher;

    private ConfigReloader(Path path, Environment environment, RoutingConfig loaded, Consumer<RoutingConfig> apply,
                           PluginMetrics metrics) {
        this.path = path;
        this.environment = environment;
        this.loaded = loaded;
        this.apply = apply;
        String name = "llm_config_reloads_total";
        String description = "Changes of the LLM_CONFIG file applied or refused";
        this.applied = metrics.counter(name, description, Map.of("result", "applied"));
        this.refused = metrics.counter(name, description, Map.of("result", "refused"));
    }

    /**
     * Reads the file for start-up.
     *
     * @param path        the file
     * @param environment the variables its {@code ${...}} references name
     * @return the routing and the content's hash
     * @throws PluginConfigurationException one line: why the file cannot be used
     */
    public static Loaded load(Path path, Environment environment) {
        ConfigFileWatcher.Content content;
        try {
            content = ConfigFileWatcher.read(path);
        } catch (IOException | UncheckedIOException e) {
            throw new PluginConfigurationException("LLM_CONFIG names " + path + ", which cannot be read: " + e.getMessage());
        }
        return new Loaded(ConfigFile.parse(content.bytes(), path.getFileName().toString(), environment), content.sha256());
    }

    /**
     * Watches the file from now on.
     *
     * @param path        the file
     * @param loaded      what start-up loaded from it
     * @param poll        how often to look
     * @param scheduler   where the looks run
     * @param environment the variables its references name
     * @param apply       applies a new routing; throws to refuse it
     * @param metrics     where the reload counter goes
     * @return the reloader, to be closed at shutdown
     */
    public static ConfigReloader start(Path path, Loaded loaded, Duration poll, ScheduledExecutorService scheduler,
                                       Environment environment, Consumer<RoutingConfig> apply, PluginMetrics metrics) {
        ConfigReloader reloader = new ConfigReloader(path, environment, loaded.config(), apply, metrics);
        reloader.watcher = ConfigFileWatcher.start(path, loaded.sha256(), poll, scheduler, reloader::changed);
        return reloader;
    }

    private void changed(ConfigFileWatcher.Content content) {
        RoutingConfig next;
        try {
            next = ConfigFile.parse(content.bytes(), path.getFileName().toString(), environment);
            apply.accept(next);
        } catch (PluginConfigurationException | IllegalArgumentException | IllegalStateException e) {
            refused.increment();
            LOGGER.log(WARNING, "config refused: " + e.getMessage() + "; keeping " + loaded.origin());
            return;
        }
        if (!next.middleware().equals(loaded.middleware())) {
            LOGGER.log(WARNING, "config " + next.origin() + ": the middleware section changed; middleware settings take"
                    + " effect at the next start");
        }
        loaded = next;
        applied.increment();
        LOGGER.log(INFO, () -> "config reloaded: " + next.origin() + " (" + next.deployments().size() + " deployments, "
                + next.models().size() + " models)");
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    /**
     * What start-up read.
     *
     * @param config the routing
     * @param sha256 the content's hash, so the watcher does not deliver it again
     */
    public record Loaded(RoutingConfig config, String sha256) {
    }
}
