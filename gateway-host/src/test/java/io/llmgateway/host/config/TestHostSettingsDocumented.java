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
 * The top README's table of the host's variables lists exactly the ones {@link HostSettings} declares (the plugins'
 * are generated into their own READMEs).
 */
final class TestHostSettingsDocumented {

    private static final Pattern ROW = Pattern.compile("^\\| `(LLM_[A-Z0-9_]+)` \\|", Pattern.MULTILINE);

    @Test
    void theReadmesHostTableNamesEveryHostVariableAndNoOther() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String configuration = readme.substring(readme.indexOf("## Configuration"));
        configuration = configuration.substring(0, configuration.indexOf("\n## ", 1));
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(configuration);
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> declared = new TreeSet<>();
        HostSettings.ALL.stream().map(SettingSpec::env).flatMap(Optional::stream).forEach(declared::add);

        assertThat(documented, is(declared));
    }
}
