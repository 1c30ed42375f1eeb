package io.llmgateway.host.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.SettingSource;

import static java.util.Objects.requireNonNull;

/**
 * The environment variables the gateway starts with (a map in tests, never the real environment there). The
 * host reads its own settings from it and hands each plugin only the variables its descriptor declares.
 *
 * @param variables names and values
 */
public record Environment(Map<String, String> variables) {

    /**
     * Copies.
     */
    public Environment {
        variables = Map.copyOf(requireNonNull(variables, "variables is null"));
    }

    /**
     * The process environment.
     *
     * @return the environment
     */
    public static Environment system() {
        return new Environment(System.getenv());
    }

    /**
     * A variable's value; blank counts as absent.
     *
     * @param name the variable
     * @return its value, if set
     */
    public Optional<String> value(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }

    /**
     * The variables that are set (not blank), sorted.
     *
     * @return the names
     */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        variables.forEach((name, value) -> {
            if (!value.isBlank()) {
                names.add(name);
            }
        });
        return names;
    }

    /**
     * Settings read from here by variable name.
     *
     * @return the source
     */
    public SettingSource source() {
        return SettingSource.environment(variables);
    }

    /**
     * Only some of the variables, as a plugin's raw configuration.
     *
     * @param declared the variables the plugin may see
     * @return the configuration
     */
    public PluginConfig only(Set<String> declared) {
        Set<String> allowed = Set.copyOf(declared);
        return name -> allowed.contains(name) ? value(name) : Optional.empty();
    }
}
