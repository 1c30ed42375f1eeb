package io.llmgateway.testing;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.spi.JsonProvider;

/**
 * How to start a class of this module in a process of its own (the fake CLI, the fakes' mains): the
 * running JVM's {@code java} and a class path of this module and its JSON library, wherever they were
 * loaded from (jars or class folders).
 */
final class JavaCommand {
    private JavaCommand() {
    }

    /** {@return the running JVM's {@code java} executable} */
    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** {@return where this module, the JSON API and the JSON provider were loaded from, as a class path} */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : new Class<?>[] {JavaCommand.class, Json.class, JsonProvider.provider().getClass()}) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null) {
                throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from");
            }
            try {
                entries.add(Path.of(source.getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from", e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
