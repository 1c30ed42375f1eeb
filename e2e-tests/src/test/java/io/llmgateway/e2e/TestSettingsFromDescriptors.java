package io.llmgateway.e2e;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution configured through the plugins' descriptors: {@code --help-config} lists every loaded
 * plugin's settings, a bad value and a variable nobody reads each stop start-up with one line.
 */
final class TestSettingsFromDescriptors {

    @Test
    void helpConfigListsTheHostsAndEveryShippedPluginsSettings() throws Exception {
        GatewayProcess.Exited exit = GatewayProcess.runToExit("help-config", Map.of("ANTHROPIC_API_KEY", "sk-ant-never-shown-123"),
                                                              List.of("--help-config"));

        assertEquals(0, exit.status(), exit::stderr);
        String table = exit.stdout();
        for (String section : List.of("\nhost: ", "\nbackend mock (plugin backend-mock ", "\nbackend cli (plugin backend-cli ",
                                      "\nbackend api (plugin backend-api ", "\nmiddleware auth (plugin middleware-auth ",
                                      "\nmiddleware ratelimit (plugin middleware-ratelimit ",
                                      "\nmiddleware cache (plugin middleware-cache ")) {
            assertTrue(table.contains(section), () -> "no section " + section.strip() + " in:\n" + table);
        }
        assertTrue(table.lines().anyMatch(line -> line.matches("\\s+LLM_POOL_SIZE\\s+pool_size\\s+integer\\s+0\\.\\.64\\s+2\\s+-\\s+.+")),
                   table);
        assertTrue(table.lines().anyMatch(line -> line.matches("\\s+ANTHROPIC_API_KEY\\s+anthropic_api_key\\s+secret\\s+-\\s+-\\s+yes\\s+.+")),
                   table);
        assertFalse(table.contains("sk-ant-never-shown"), table);
    }

    @Test
    void aBadValueStopsStartWithOneLineNamingItAndWhatIsAllowed() throws Exception {
        GatewayProcess.Exited exit = GatewayProcess.runToExit("bad-setting", Map.of("LLM_POOL_SIZE", "lots"));

        assertEquals(2, exit.status(), exit::stderr);
        List<String> lines = exit.stderr().lines().filter(line -> line.startsWith("llm-gateway: ")).toList();
        assertEquals(List.of("llm-gateway: backend cli: LLM_POOL_SIZE must be an integer from 0 to 64, got 'lots'"), lines,
                     exit::stderr);
    }

    @Test
    void aVariableNobodyReadsStopsStartWithADidYouMean() throws Exception {
        GatewayProcess.Exited exit = GatewayProcess.runToExit("unread-setting", Map.of("LLM_CACHE_TTLL", "60"));

        assertEquals(2, exit.status(), exit::stderr);
        List<String> lines = exit.stderr().lines().filter(line -> line.startsWith("llm-gateway: ")).toList();
        assertEquals(1, lines.size(), exit::stderr);
        assertTrue(lines.getFirst().startsWith("llm-gateway: LLM_CACHE_TTLL is set, but neither the host nor a loaded plugin"
                                                       + " reads it (did you mean LLM_CACHE_TTL?)"), lines::getFirst);
    }
}
