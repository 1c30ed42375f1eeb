package io.llmgateway.api;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestPluginDescriptor {

    @Test
    void recordsTheVersionItWasCompiledAgainst() {
        PluginDescriptor descriptor = PluginDescriptor.backend("mock", SpiVersion.MAJOR, SpiVersion.MINOR, "answers",
                                                               List.of());

        assertEquals(SpiVersion.current(), descriptor.spiVersion());
        assertEquals(PluginKind.BACKEND, descriptor.kind());
        assertFalse(descriptor.isUndeclared());
        assertEquals("1.0", new SpiVersion(1, 0).toString());
    }

    @Test
    void aProviderThatDeclaresNothingIsUndeclared() {
        BackendProvider provider = new BackendProvider() {
            @Override
            public String type() {
                return "old";
            }

            @Override
            public Backend create(PluginContext context) {
                throw new UnsupportedOperationException();
            }
        };

        assertTrue(provider.descriptor().isUndeclared());
        assertEquals("old", provider.descriptor().name());
    }

    @Test
    void aSettingKeyOrVariableIsDeclaredOnce() {
        SettingSpec<String> one = SettingSpec.of("one", ValueTypes.string(), "d").env("LLM_ONE");

        assertThrows(IllegalArgumentException.class, () -> PluginDescriptor.middleware(
                "m", 1, 0, "d", List.of(one, SettingSpec.of("one", ValueTypes.string(), "d"))));
        assertThrows(IllegalArgumentException.class, () -> PluginDescriptor.middleware(
                "m", 1, 0, "d", List.of(one, SettingSpec.of("two", ValueTypes.string(), "d").env("LLM_ONE"))));
        assertThrows(IllegalArgumentException.class, () -> PluginDescriptor.middleware("Bad Name", 1, 0, "d", List.of()));
        assertEquals(one, PluginDescriptor.middleware("m", 1, 0, "d", List.of(one)).setting("one").orElseThrow());
    }
}
