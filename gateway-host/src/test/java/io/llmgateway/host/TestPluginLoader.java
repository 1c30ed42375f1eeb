package io.llmgateway.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.host.plugins.LoadedPlugin;
import io.llmgateway.host.plugins.PluginCatalog;
import io.llmgateway.host.plugins.PluginLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Loads plugin jars compiled by the test into a temporary plugins directory. (Tests run on the class
 * path, so folders load through class loaders; the module-layer path is covered by e2e-tests, which
 * run the real distribution on the module path.)
 */
final class TestPluginLoader {

    @TempDir
    Path plugins;
    @TempDir
    Path build;

    @Test
    void loadsAPluginJarWithItsVersion() throws Exception {
        jar(plugins.resolve("hello"), "hello", "2.3.4", """
                public class HelloProvider implements io.llmgateway.api.BackendProvider {
                    public String type() { return "hello"; }
                    public io.llmgateway.api.PluginDescriptor descriptor() {
                        return io.llmgateway.api.PluginDescriptor.backend(
                                "hello", io.llmgateway.api.SpiVersion.MAJOR, io.llmgateway.api.SpiVersion.MINOR,
                                "says hello", java.util.List.of());
                    }
                    public io.llmgateway.api.Backend create(io.llmgateway.api.PluginContext context) {
                        return new io.llmgateway.api.Backend() {
                            public java.util.List<io.llmgateway.api.ModelInfo> models() {
                                return java.util.List.of(new io.llmgateway.api.ModelInfo("hello", "team", 0));
                            }
                            public void chat(io.llmgateway.api.ChatExchange exchange, io.llmgateway.api.ChatSink sink) {
                                sink.emit(new io.llmgateway.api.ChatDelta.Text("hello from a jar"));
                            }
                        };
                    }
                }
                """);

        PluginCatalog catalog = PluginLoader.load(plugins);

        assertThat(catalog.failures(), is(List.of()));
        LoadedPlugin plugin = catalog.plugins().getFirst();
        assertThat(plugin.name(), is("hello"));
        assertThat(plugin.version(), is("2.3.4"));
        assertThat(plugin.isolation(), is("class loader"));
        BackendProvider provider = catalog.backend("hello").orElseThrow().provider();
        assertThat(provider.getClass().getClassLoader().getName(), is("plugin-hello"));
        assertThat(catalog.backendTypes(), is(List.of("hello")));
    }

    @Test
    void aBrokenJarIsReportedByNameAndTheOthersStillLoad() throws Exception {
        jar(plugins.resolve("good"), "good", "1.0", provider("good"));
        Path broken = Files.createDirectories(plugins.resolve("broken"));
        Files.write(broken.resolve("broken.jar"), new byte[] {1, 2, 3, 4, 5});

        PluginCatalog catalog = PluginLoader.load(plugins);

        assertThat(catalog.plugins(), hasSize(1));
        assertThat(catalog.plugins().getFirst().name(), is("good"));
        assertThat(catalog.failures(), hasSize(1));
        assertThat(catalog.failures().getFirst(), containsString("plugin broken failed to load"));
        assertThat(catalog.failures().getFirst(), containsString("broken.jar"));
    }

    @Test
    void aProviderThatCannotBeCreatedIsReported() throws Exception {
        jar(plugins.resolve("angry"), "angry", "1.0", """
                public class AngryProvider implements io.llmgateway.api.BackendProvider {
                    public AngryProvider() { throw new IllegalStateException("no way"); }
                    public String type() { return "angry"; }
                    public io.llmgateway.api.PluginDescriptor descriptor() {
                        return io.llmgateway.api.PluginDescriptor.backend("angry", 1, 0, "angry", java.util.List.of());
                    }
                    public io.llmgateway.api.Backend create(io.llmgateway.api.PluginContext context) { return null; }
                }
                """);
        jar(plugins.resolve("calm"), "calm", "1.0", provider("calm"));

        PluginCatalog catalog = PluginLoader.load(plugins);

        assertThat(catalog.backendTypes(), is(List.of("calm")));
        assertThat(catalog.failures().getFirst(), containsString("plugin angry failed to load"));
    }

    @Test
    void foldersWithoutJarsAndStrayFilesAreSkipped() throws Exception {
        Files.createDirectories(plugins.resolve("empty"));
        Files.writeString(plugins.resolve("README.txt"), "not a plugin");

        PluginCatalog catalog = PluginLoader.load(plugins);

        assertThat(catalog.plugins(), hasSize(0));
        assertThat(catalog.failures(), hasSize(0));
    }

    @Test
    void aMissingDirectoryIsReported() {
        PluginCatalog catalog = PluginLoader.load(plugins.resolve("nowhere"));

        assertThat(catalog.failures().getFirst(), containsString("does not exist"));
    }

    @Test
    void theSpiVersionIsCompiledIntoThePlugin() throws Exception {
        jar(plugins.resolve("hello"), "hello", "1.0", provider("hello"));

        PluginCatalog catalog = PluginLoader.load(plugins);

        assertThat(catalog.failures(), is(List.of()));
        BackendProvider provider = catalog.backend("hello").orElseThrow().provider();
        assertThat(provider.descriptor().spiVersion(), is(SpiVersion.current()));
        // javac copied the constants' values: the class reads no field MAJOR or MINOR at run time
        String classFile = new String(Files.readAllBytes(build.resolve("hello/classes/phello/HelloProvider.class")),
                                      StandardCharsets.ISO_8859_1);
        assertThat(classFile.contains("MAJOR") || classFile.contains("MINOR"), is(false));
    }

    @Test
    void aPluginBuiltForAnotherSpiIsRefusedWithBothVersionsAndTheOthersLoad() throws Exception {
        jar(plugins.resolve("future"), "future", "9.0", provider("future", "2", "0"));
        jar(plugins.resolve("newer"), "newer", "1.9", provider("newer", "SpiVersion.MAJOR", "SpiVersion.MINOR + 1"));
        jar(plugins.resolve("current"), "current", "1.0", provider("current"));

        PluginCatalog catalog = PluginLoader.load(plugins);

        assertThat(catalog.backendTypes(), is(List.of("current")));
        assertThat(catalog.failures(), hasSize(2));
        assertThat(catalog.failures().getFirst(), is("plugin future refused: backend future was built for SPI 2.0, this"
                                                             + " gateway offers SPI " + SpiVersion.current() + "; run it on"
                                                             + " a gateway with SPI 2.0 or later, or rebuild it against"
                                                             + " gateway-api " + SpiVersion.current()));
        assertThat(catalog.failures().getLast(), containsString("backend newer was built for SPI " + SpiVersion.MAJOR + "."
                                                                        + (SpiVersion.MINOR + 1)));
    }

    @Test
    void aPluginThatDeclaresNothingIsRefused() throws Exception {
        jar(plugins.resolve("old"), "old", "0.1", """
                public class OldProvider implements io.llmgateway.api.BackendProvider {
                    public String type() { return "old"; }
                    public io.llmgateway.api.Backend create(io.llmgateway.api.PluginContext context) { return null; }
                }
                """);

        PluginCatalog catalog = PluginLoader.load(plugins);

        assertThat(catalog.plugins(), hasSize(0));
        assertThat(catalog.failures().getFirst(), containsString("plugin old refused: backend old declares no descriptor"));
        assertThat(catalog.failures().getFirst(), containsString("rebuild it against gateway-api " + SpiVersion.current()));
    }

    private static String provider(String type) {
        return provider(type, "SpiVersion.MAJOR", "SpiVersion.MINOR");
    }

    /** A provider whose descriptor says it was built for SPI {@code major.minor} (Java expressions). */
    private static String provider(String type, String major, String minor) {
        String name = Character.toUpperCase(type.charAt(0)) + type.substring(1) + "Provider";
        return """
                public class NAME implements io.llmgateway.api.BackendProvider {
                    public String type() { return "TYPE"; }
                    public io.llmgateway.api.PluginDescriptor descriptor() {
                        return io.llmgateway.api.PluginDescriptor.backend("TYPE", MAJOR, MINOR, "a test plugin",
                                                                          java.util.List.of());
                    }
                    public io.llmgateway.api.Backend create(io.llmgateway.api.PluginContext context) { return null; }
                }
                """.replace("NAME", name).replace("TYPE", type)
                .replace("MAJOR", major.replace("SpiVersion.", "io.llmgateway.api.SpiVersion."))
                .replace("MINOR", minor.replace("SpiVersion.", "io.llmgateway.api.SpiVersion."));
    }

    /** Compiles one provider class (in package {@code p<name>}) into a plain jar with META-INF/services. */
    private void jar(Path folder, String name, String version, String source) throws IOException {
        String pkg = "p" + name;
        String className = source.substring(source.indexOf("class ") + 6, source.indexOf(" implements")).trim();
        Path sources = Files.createDirectories(build.resolve(name).resolve("src").resolve(pkg));
        Path classes = Files.createDirectories(build.resolve(name).resolve("classes"));
        Path file = sources.resolve(className + ".java");
        Files.writeString(file, "package " + pkg + ";\n" + source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(),
                                  "-cp", System.getProperty("java.class.path"), file.toString());
        assertThat("compiling " + file, status, is(0));

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        Files.createDirectories(folder);
        try (OutputStream out = Files.newOutputStream(folder.resolve(name + ".jar"));
             JarOutputStream jar = new JarOutputStream(out, manifest);
             Stream<Path> compiled = Files.walk(classes)) {
            for (Path classFile : compiled.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(classFile));
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/io.llmgateway.api.BackendProvider"));
            jar.write((pkg + "." + className + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }
}
