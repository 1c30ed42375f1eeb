package io.llmgateway.host.config;

import java.util.List;
import java.util.Optional;

import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.PluginKind;
import io.llmgateway.api.SpiVersion;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

final class TestSpiCompatibility {

    private static final SpiVersion HOST = new SpiVersion(1, 4);

    @Test
    void theSameMajorAndAnOlderOrEqualMinorRun() {
        assertThat(problem(1, 0), is(Optional.empty()));
        assertThat(problem(1, 4), is(Optional.empty()));
    }

    @Test
    void aNewerMinorOrAnotherMajorIsRefusedWithBothVersions() {
        assertThat(problem(1, 5).orElseThrow(), is("backend x was built for SPI 1.5, this gateway offers SPI 1.4; run it"
                                                           + " on a gateway with SPI 1.5 or later, or rebuild it against"
                                                           + " gateway-api 1.4"));
        assertThat(problem(2, 0).orElseThrow(), is("backend x was built for SPI 2.0, this gateway offers SPI 1.4; run it"
                                                           + " on a gateway with SPI 2.0 or later, or rebuild it against"
                                                           + " gateway-api 1.4"));
        assertThat(SpiCompatibility.problem("backend x", PluginDescriptor.backend("x", 0, 9, "d", List.of()),
                                            PluginKind.BACKEND, "x", HOST).orElseThrow(),
                   is("backend x was built for SPI 0.9, this gateway offers SPI 1.4; rebuild it against gateway-api 1.4"));
    }

    @Test
    void anUndeclaredPluginOrAMismatchedDescriptorIsRefused() {
        assertThat(SpiCompatibility.problem("backend x", PluginDescriptor.undeclared(PluginKind.BACKEND, "x"),
                                            PluginKind.BACKEND, "x", HOST).orElseThrow(),
                   is("backend x declares no descriptor, so it was built for an SPI before 1.0; this gateway offers SPI"
                              + " 1.4: rebuild it against gateway-api 1.4 and implement descriptor()"));
        assertThat(SpiCompatibility.problem("backend x", PluginDescriptor.middleware("y", 1, 0, "d", List.of()),
                                            PluginKind.BACKEND, "x", HOST).orElseThrow(),
                   is("backend x's descriptor describes middleware y; a descriptor names what its provider provides"));
    }

    private static Optional<String> problem(int major, int minor) {
        return SpiCompatibility.problem("backend x", PluginDescriptor.backend("x", major, minor, "d", List.of()),
                                        PluginKind.BACKEND, "x", HOST);
    }
}
