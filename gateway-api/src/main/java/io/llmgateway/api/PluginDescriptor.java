package io.llmgateway.api;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * What a plugin says about itself before it is created: its name, what it provides, the SPI version it was
 * built against and the settings it reads. The host checks the version, validates the settings at start-up,
 * hands each plugin instance only its own values ({@link PluginContext#settings()}), masks secret ones, and
 * prints the table of them ({@code bin/llm-gateway --help-config}).
 *
 * <p>Build one with {@link #backend} or {@link #middleware}, passing {@code SpiVersion.MAJOR, SpiVersion.MINOR}
 * from the plugin's own code, so that the version compiled into the plugin is the one recorded.
 *
 * @param name        the backend type or middleware name, such as {@code cli} or {@code auth}
 * @param kind        what it provides
 * @param spiVersion  the SPI version it was built against
 * @param description what it is, in one line
 * @param settings    every setting it reads, in the order of its documentation
 */
public record PluginDescriptor(String name,
                               PluginKind kind,
                               SpiVersion spiVersion,
                               String description,
                               List<SettingSpec<?>> settings) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** The version an undeclared plugin gets: older than every SPI that has descriptors. */
    private static final SpiVersion BEFORE_DESCRIPTORS = new SpiVersion(0, 0);

    /**
     * Validates and copies.
     */
    public PluginDescriptor {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(description, "description is null");
        settings = List.copyOf(requireNonNull(settings, "settings is null"));
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a plugin name is 1 to 64 lower-case letters, digits, '-' or '_': " + name);
        }
        if (description.contains("\n")) {
            throw new IllegalArgumentException("a plugin's description is one line: " + name);
        }
        Set<String> keys = new HashSet<>();
        Set<String> variables = new HashSet<>();
        for (SettingSpec<?> setting : settings) {
            if (!keys.add(setting.key())) {
                throw new IllegalArgumentException(name + " declares setting " + setting.key() + " twice");
            }
            setting.env().ifPresent(env -> {
                if (!variables.add(env)) {
                    throw new IllegalArgumentException(name + " reads " + env + " for two settings");
                }
            });
        }
    }

    /**
     * Describes a backend plugin.
     *
     * @param type        the backend type ({@link BackendProvider#type()})
     * @param spiMajor    pass {@link SpiVersion#MAJOR}
     * @param spiMinor    pass {@link SpiVersion#MINOR}
     * @param description what it is, in one line
     * @param settings    every setting it reads
     * @return the descriptor
     */
    public static PluginDescriptor backend(String type, int spiMajor, int spiMinor, String description,
                                           List<SettingSpec<?>> settings) {
        return new PluginDescriptor(type, PluginKind.BACKEND, new SpiVersion(spiMajor, spiMinor), description, settings);
    }

    /**
     * Describes a middleware plugin.
     *
     * @param name        the middleware name ({@link MiddlewareProvider#name()})
     * @param spiMajor    pass {@link SpiVersion#MAJOR}
     * @param spiMinor    pass {@link SpiVersion#MINOR}
     * @param description what it is, in one line
     * @param settings    every setting it reads
     * @return the descriptor
     */
    public static PluginDescriptor middleware(String name, int spiMajor, int spiMinor, String description,
                                              List<SettingSpec<?>> settings) {
        return new PluginDescriptor(name, PluginKind.MIDDLEWARE, new SpiVersion(spiMajor, spiMinor), description,
                                    settings);
    }

    /**
     * What the SPI assumes of a provider that declares nothing (built before descriptors existed): SPI 0.0 and no
     * settings, which a host refuses.
     *
     * @param kind what it provides
     * @param name its type or name
     * @return the descriptor
     */
    public static PluginDescriptor undeclared(PluginKind kind, String name) {
        return new PluginDescriptor(name, kind, BEFORE_DESCRIPTORS, "declares no descriptor", List.of());
    }

    /**
     * Whether this is what {@link #undeclared} makes.
     *
     * @return true for a provider that declares nothing
     */
    public boolean isUndeclared() {
        return spiVersion.equals(BEFORE_DESCRIPTORS);
    }

    /**
     * A setting by key.
     *
     * @param key the key
     * @return the setting, if declared
     */
    public Optional<SettingSpec<?>> setting(String key) {
        return settings.stream().<SettingSpec<?>>map(setting -> setting).filter(setting -> setting.key().equals(key))
                .findFirst();
    }
}
