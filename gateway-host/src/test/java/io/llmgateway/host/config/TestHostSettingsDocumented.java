package io.llmgateway.host.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.api.SettingSpec;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The host's table in docs/configuration.md lists exactly the variables {@link HostSettings} declares (the plugins'
 * are generated into their own READMEs).
 */
final class TestHostSettingsDocumented {

    private static final Path DOCUMENT = Path.of("..", "docs", "configuration.md");
    private static final String SECTION = "## Host settings";
    private static final Pattern ROW = Pattern.compile("^\\| `(LLM_[A-Z0-9_]+)` \\|", Pattern.MULTILINE);

    @Test
    void theHostTableNamesEveryHostVariableAndNoOther() throws Exception {
        String document = Files.readString(DOCUMENT);
        int start = document.indexOf("\n" + SECTION + "\n");
        assertThat(DOCUMENT + " has a section '" + SECTION + "'", start >= 0, is(true));
        String section = document.substring(start + 1);
        int next = section.indexOf("\n## ");
        section = next < 0 ? section : section.substring(0, next);
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> declared = new TreeSet<>();
        HostSettings.ALL.stream().map(SettingSpec::env).flatMap(Optional::stream).forEach(declared::add);

        assertThat(documented, is(declared));
    }
}
