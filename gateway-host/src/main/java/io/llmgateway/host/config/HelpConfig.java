package io.llmgateway.host.config;

import java.util.ArrayList;
import java.util.List;

import io.llmgateway.api.SettingSpec;

/**
 * The settings table {@code bin/llm-gateway --help-config} prints: the host's, then every loaded plugin's, each
 * setting with its variable, key, type, range, default, whether it is secret, and its doc. A secret's default is
 * never shown (and no value ever is).
 */
public final class HelpConfig {

    private static final List<String> HEADINGS = List.of("VARIABLE", "KEY", "TYPE", "RANGE", "DEFAULT", "SECRET", "DOC");

    private HelpConfig() {
    }

    /**
     * One block of the table.
     *
     * @param title       such as {@code backend cli (plugin backend-cli 0.1.0, SPI 1.0)}
     * @param description one line about it
     * @param settings    its settings
     */
    public record Section(String title, String description, List<SettingSpec<?>> settings) {
        /**
         * Copies.
         */
        public Section {
            settings = List.copyOf(settings);
        }
    }

    /**
     * Renders the table.
     *
     * @param heading  the first line
     * @param sections the blocks
     * @param notes    lines at the end (plugins that failed to load)
     * @return the text, ending in a new line
     */
    public static String render(String heading, List<Section> sections, List<String> notes) {
        StringBuilder out = new StringBuilder(heading).append('\n');
        for (Section section : sections) {
            out.append('\n').append(section.title()).append(": ").append(section.description()).append('\n');
            if (section.settings().isEmpty()) {
                out.append("  (no settings)\n");
                continue;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(HEADINGS);
            for (SettingSpec<?> setting : section.settings()) {
                rows.add(List.of(setting.env().orElse("-"), setting.key(), setting.type().typeName(),
                                 dash(setting.type().range()), dash(setting.defaultText()),
                                 setting.isSecret() ? "yes" : "-", setting.doc()));
            }
            int[] widths = new int[HEADINGS.size() - 1];
            for (List<String> row : rows) {
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            for (List<String> row : rows) {
                out.append(' ');
                for (int i = 0; i < widths.length; i++) {
                    out.append(' ').append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 1));
                }
                out.append(row.getLast()).append('\n');
            }
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(note -> out.append(note).append('\n'));
        }
        return out.toString();
    }

    private static String dash(String text) {
        return text.isEmpty() ? "-" : text;
    }
}
