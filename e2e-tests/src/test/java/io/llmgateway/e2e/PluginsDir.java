package io.llmgateway.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A plugins directory made for one test: folders copied from the distribution plus folders of its own,
 * so the distribution itself is never modified.
 */
final class PluginsDir {

    private final Path root;

    private PluginsDir(Path root) {
        this.root = root;
    }

    /**
     * Starts an empty plugins directory.
     *
     * @param root the directory (a test's temporary directory)
     * @return the plugins directory
     */
    static PluginsDir at(Path root) {
        return new PluginsDir(root);
    }

    /**
     * Copies a plugin folder of the distribution, such as {@code backend-mock}.
     *
     * @param folder the folder under the distribution's {@code plugins/}
     * @return this directory
     * @throws IOException when copying fails
     */
    PluginsDir withDistributionPlugin(String folder) throws IOException {
        Path source = BuiltArtifacts.distribution().resolve("plugins").resolve(folder);
        Path target = Files.createDirectories(root.resolve(folder));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return this;
    }

    /**
     * Adds a file to a plugin folder, creating the folder.
     *
     * @param folder   the plugin folder, which names the plugin
     * @param fileName the file's name in it
     * @param source   the file to copy
     * @return this directory
     * @throws IOException when copying fails
     */
    PluginsDir withFile(String folder, String fileName, Path source) throws IOException {
        Files.copy(source, Files.createDirectories(root.resolve(folder)).resolve(fileName));
        return this;
    }

    /**
     * Adds a file with the given content to a plugin folder, creating the folder.
     *
     * @param folder   the plugin folder, which names the plugin
     * @param fileName the file's name in it
     * @param content  the bytes
     * @return this directory
     * @throws IOException when writing fails
     */
    PluginsDir withFile(String folder, String fileName, byte[] content) throws IOException {
        Files.write(Files.createDirectories(root.resolve(folder)).resolve(fileName), content);
        return this;
    }

    /**
     * The directory, for {@code LLM_PLUGINS_DIR}.
     *
     * @return the path
     */
    String path() {
        return root.toString();
    }
}
