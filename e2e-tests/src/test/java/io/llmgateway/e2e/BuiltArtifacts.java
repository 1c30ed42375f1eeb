package io.llmgateway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the reactor built before this module, as failsafe passes it in system properties (see pom.xml).
 */
final class BuiltArtifacts {

    private BuiltArtifacts() {
    }

    /**
     * The gateway distribution: {@code bin/llm-gateway}, {@code lib/}, {@code plugins/}.
     *
     * @return its folder
     */
    static Path distribution() {
        return existing("llm.distribution");
    }

    /**
     * The jar of {@code examples/custom-backend}.
     *
     * @return the jar
     */
    static Path exampleJar() {
        return existing("llm.example.jar");
    }

    /**
     * The Node client scripts ({@code e2e-tests/node}).
     *
     * @return their folder
     */
    static Path nodeClients() {
        return existing("llm.node.clients");
    }

    /**
     * Where the gateways' output goes, kept after the run for diagnosis.
     *
     * @return the folder, created if needed
     */
    static Path workDir() {
        Path dir = Path.of(property("llm.e2e.work"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static Path existing(String key) {
        Path path = Path.of(property(key)).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " (" + key + ") does not exist; build the project first (mvn verify)");
        }
        return path;
    }

    private static String property(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + key + " is not set; run these tests through failsafe"
                                                    + " (mvn verify), which sets it");
        }
        return value;
    }
}
