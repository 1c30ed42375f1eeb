package io.llmgateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A descriptor's settings as the Markdown table of the plugin's README, between the lines
 * {@value #BEGIN} and {@value #END}, so the documentation cannot drift from what the plugin reads: its key,
 * variable, type, range, default (a value in code font, a default the plugin works out in words), whether it is
 * secret, and its doc. A test calls
 * {@link #assertReadmeMatches}; run it with {@code -Dsettings.table.write=true} to rewrite the table instead.
 */
public final class SettingsTable {

    /** The line before the table. */
    public static final String BEGIN = "<!-- settings table: generated from the plugin's descriptor -->";
    /** The line after the table. */
    public static final String END = "<!-- end of settings table -->";
    private static final String WRITE = "settings.table.write";

    private SettingsTable() {
    }

    /**
     * The table.
     *
     * @param descriptor the plugin's descriptor
     * @return Markdown, one row per setting, ending in a new line
     */
    public static String markdown(PluginDescriptor descriptor) {
        StringBuilder table = new StringBuilder("| key | environment variable | type | range | default | secret | what it does |\n"
                                                        + "| --- | --- | --- | --- | --- | --- | --- |\n");
        for (SettingSpec<?> setting : descriptor.settings()) {
            table.append("| `").append(setting.key()).append("` | ")
                    .append(setting.env().map(env -> "`" + env + "`").orElse("")).append(" | ")
                    .append(setting.type().typeName()).append(" | ")
                    .append(escape(setting.type().range())).append(" | ")
                    .append(defaultOf(setting)).append(" | ")
                    .append(setting.isSecret() ? "yes" : "").append(" | ")
                    .append(setting.doc()).append(" |\n");
        }
        return table.toString();
    }

    /**
     * Fails unless the README's table is {@link #markdown} of the descriptor (or, with
     * {@code -Dsettings.table.write=true}, writes it there).
     *
     * @param descriptor the plugin's descriptor
     * @param readme     the README, holding the {@value #BEGIN} and {@value #END} lines
     */
    public static void assertReadmeMatches(PluginDescriptor descriptor, Path readme) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int begin = lines.indexOf(BEGIN);
        int end = lines.indexOf(END);
        String expected = markdown(descriptor);
        if (begin < 0 || end < begin) {
            fail(readme + " has no settings table between the lines\n" + BEGIN + "\n" + END + "\nput this there:\n"
                         + expected);
        }
        String actual = String.join("\n", lines.subList(begin + 1, end)) + "\n";
        if (actual.equals(expected)) {
            return;
        }
        if (Boolean.getBoolean(WRITE)) {
            List<String> rewritten = new ArrayList<>(lines.subList(0, begin + 1));
            rewritten.addAll(expected.lines().toList());
            rewritten.addAll(lines.subList(end, lines.size()));
            try {
                Files.write(readme, rewritten);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        fail(readme + "'s settings table differs from " + descriptor.name() + "'s descriptor; rerun with -D" + WRITE
                     + "=true to rewrite it, or put this there:\n" + expected);
    }

    /** A default value as code, as it would be configured; a default described in words as words. */
    private static String defaultOf(SettingSpec<?> setting) {
        String text = escape(setting.defaultText());
        return text.isEmpty() || setting.defaultValue().isEmpty() ? text : "`" + text + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
