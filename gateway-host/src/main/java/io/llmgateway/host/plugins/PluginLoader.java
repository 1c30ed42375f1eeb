package io.llmgateway.host.plugins;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.host.config.SpiCompatibility;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Loads every folder of the plugins directory: a folder holding a modular jar becomes a
 * {@link ModuleLayer} whose parent is the boot layer (which holds the SPI); a folder of plain jars gets
 * a {@link URLClassLoader} reading {@code META-INF/services}. Either way the plugin sees only the SPI and
 * its own jars. Failures are reported by folder and jar name and skipped, and so is a plugin whose descriptor says
 * it was built for an SPI this host cannot run ({@link SpiCompatibility}).
 */
public final class PluginLoader {

    private static final System.Logger LOGGER = System.getLogger(PluginLoader.class.getName());
    private static final String API_MODULE = "io.llmgateway.api";

    private PluginLoader() {
    }

    /**
     * Loads all plugins under a directory.
     *
     * @param pluginsDir the plugins directory
     * @return what loaded and what did not
     */
    public static PluginCatalog load(Path pluginsDir) {
        List<LoadedPlugin> loaded = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        if (!Files.isDirectory(pluginsDir)) {
            failures.add("plugins directory " + pluginsDir + " does not exist (set LLM_PLUGINS_DIR)");
            return new PluginCatalog(loaded, failures);
        }
        for (Path folder : subfolders(pluginsDir)) {
            try {
                Optional<LoadedPlugin> plugin = loadFolder(folder);
                plugin.ifPresent(it -> {
                    Optional<String> problem = incompatibility(it);
                    if (problem.isPresent()) {
                        String failure = "plugin " + it.name() + " refused: " + problem.get();
                        failures.add(failure);
                        LOGGER.log(WARNING, failure);
                        return;
                    }
                    loaded.add(it);
                    LOGGER.log(INFO, () -> "loaded plugin " + describe(it));
                });
            } catch (RuntimeException | IOException | LinkageError | java.util.ServiceConfigurationError e) {
                // a plugin compiled against a newer SPI fails this way when it uses what this SPI lacks
                String hint = e instanceof LinkageError || e.getCause() instanceof LinkageError
                        ? " (was it built for an SPI newer than " + SpiVersion.current() + "?)" : "";
                String failure = "plugin " + folder.getFileName() + " failed to load: " + rootMessage(e) + hint;
                failures.add(failure);
                LOGGER.log(WARNING, failure);
            }
        }
        return new PluginCatalog(loaded, failures);
    }

    /** Why a plugin cannot run on this SPI: the first of its providers that cannot. */
    private static Optional<String> incompatibility(LoadedPlugin plugin) {
        SpiVersion host = SpiVersion.current();
        for (BackendProvider provider : plugin.backends()) {
            Optional<String> problem = SpiCompatibility.problem(provider, host);
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (MiddlewareProvider provider : plugin.middleware()) {
            Optional<String> problem = SpiCompatibility.problem(provider, host);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<LoadedPlugin> loadFolder(Path folder) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(path -> path.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            LOGGER.log(WARNING, "plugin folder " + folder + " holds no jar; skipped");
            return Optional.empty();
        }
        for (Path jar : jars) {
            checkReadable(jar);
        }
        boolean modular = ModuleFinder.of(jars.toArray(Path[]::new)).findAll().stream()
                .anyMatch(reference -> !reference.descriptor().isAutomatic());
        if (modular && apiIsNamedModule()) {
            return Optional.of(loadAsLayer(folder, jars));
        }
        return Optional.of(loadWithClassLoader(folder, jars));
    }

    private static LoadedPlugin loadAsLayer(Path folder, List<Path> jars) {
        ModuleLayer boot = ModuleLayer.boot();
        ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
        // The boot layer wins over the folder: a plugin that ships its own copy of the SPI (or of a
        // module the host already has) still links against the host's.
        Set<String> roots = finder.findAll().stream()
                .map(reference -> reference.descriptor().name())
                .filter(name -> boot.findModule(name).isEmpty())
                .collect(Collectors.toSet());
        Configuration configuration = Configuration.resolveAndBind(ModuleFinder.of(),
                                                                   List.of(boot.configuration()),
                                                                   finder,
                                                                   roots);
        ModuleLayer layer = ModuleLayer.defineModulesWithOneLoader(configuration,
                                                                   List.of(boot),
                                                                   PluginLoader.class.getClassLoader())
                .layer();
        Predicate<Class<?>> own = type -> type.getModule().getLayer() == layer;
        List<BackendProvider> backends = providers(ServiceLoader.load(layer, BackendProvider.class), own);
        List<MiddlewareProvider> middleware = providers(ServiceLoader.load(layer, MiddlewareProvider.class), own);
        String version = version(firstProviderClass(backends, middleware));
        return new LoadedPlugin(folder.getFileName().toString(), folder, version, "module layer", backends, middleware);
    }

    private static LoadedPlugin loadWithClassLoader(Path folder, List<Path> jars) {
        URL[] urls = jars.stream().map(PluginLoader::toUrl).toArray(URL[]::new);
        URLClassLoader loader = new URLClassLoader("plugin-" + folder.getFileName(), urls,
                                                   PluginLoader.class.getClassLoader());
        // The parent also sees the host's own services; keep only the ones this folder brings.
        Predicate<Class<?>> own = type -> type.getClassLoader() == loader;
        List<BackendProvider> backends = providers(ServiceLoader.load(BackendProvider.class, loader), own);
        List<MiddlewareProvider> middleware = providers(ServiceLoader.load(MiddlewareProvider.class, loader), own);
        String version = version(firstProviderClass(backends, middleware));
        return new LoadedPlugin(folder.getFileName().toString(), folder, version, "class loader", backends, middleware);
    }

    private static <T> List<T> providers(ServiceLoader<T> loader, Predicate<Class<?>> own) {
        return loader.stream()
                .filter(provider -> own.test(provider.type()))
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    private static Optional<Class<?>> firstProviderClass(List<BackendProvider> backends,
                                                         List<MiddlewareProvider> middleware) {
        if (!backends.isEmpty()) {
            return Optional.of(backends.getFirst().getClass());
        }
        if (!middleware.isEmpty()) {
            return Optional.of(middleware.getFirst().getClass());
        }
        return Optional.empty();
    }

    /** The module's version if it has one, else the jar manifest's Implementation-Version. */
    private static String version(Optional<Class<?>> providerClass) {
        if (providerClass.isEmpty()) {
            return "unknown";
        }
        Class<?> type = providerClass.get();
        Optional<String> moduleVersion = Optional.ofNullable(type.getModule().getDescriptor())
                .flatMap(ModuleDescriptor::rawVersion);
        return moduleVersion
                .or(() -> Optional.ofNullable(type.getProtectionDomain().getCodeSource())
                        .map(CodeSource::getLocation)
                        .flatMap(PluginLoader::implementationVersion))
                .orElse("unknown");
    }

    private static Optional<String> implementationVersion(URL jarUrl) {
        try (JarFile jar = new JarFile(Path.of(jarUrl.toURI()).toFile())) {
            return Optional.ofNullable(jar.getManifest())
                    .map(manifest -> manifest.getMainAttributes().getValue("Implementation-Version"));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static void checkReadable(Path jar) throws IOException {
        try (JarFile ignored = new JarFile(jar.toFile())) {
            // opening reads the central directory: a truncated or non-jar file fails here, by name
        } catch (IOException e) {
            throw new IOException(jar.getFileName() + " is not a readable jar (" + e.getMessage() + ")", e);
        }
    }

    private static boolean apiIsNamedModule() {
        return BackendProvider.class.getModule().isNamed()
                && BackendProvider.class.getModule().getName().equals(API_MODULE);
    }

    private static List<Path> subfolders(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list plugins directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String describe(LoadedPlugin plugin) {
        List<String> provides = new ArrayList<>();
        plugin.backends().forEach(provider -> provides.add("backend " + provider.type()));
        plugin.middleware().forEach(provider -> provides.add("middleware " + provider.name()));
        return plugin.name() + " (" + String.join(", ", provides.isEmpty() ? List.of("no services") : provides)
                + "; version " + plugin.version() + "; SPI " + spiVersions(plugin) + "; " + plugin.isolation() + ") from "
                + plugin.folder();
    }

    private static String spiVersions(LoadedPlugin plugin) {
        List<String> versions = new ArrayList<>();
        plugin.backends().forEach(provider -> versions.add(provider.descriptor().spiVersion().toString()));
        plugin.middleware().forEach(provider -> versions.add(provider.descriptor().spiVersion().toString()));
        return versions.isEmpty() ? "-" : String.join(", ", versions.stream().distinct().toList());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getMessage() + ")";
        }
        return message;
    }
}
