package io.llmgateway.host.config;

import java.util.Optional;

import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.PluginKind;
import io.llmgateway.api.SpiVersion;

/**
 * Whether a plugin may run on this host's SPI: one built against the same major version and a minor version no
 * higher than the host's (the SPI grows by additions only), whose descriptor names what it provides. Unlike
 * Elasticsearch, no exact match: a host update does not break the plugins built before it.
 */
public final class SpiCompatibility {

    private SpiCompatibility() {
    }

    /**
     * Why a backend provider cannot run here.
     *
     * @param provider the provider
     * @param host     the host's SPI version
     * @return the reason in one line, empty when it can run
     */
    public static Optional<String> problem(BackendProvider provider, SpiVersion host) {
        return problem("backend " + provider.type(), provider.descriptor(), PluginKind.BACKEND, provider.type(), host);
    }

    /**
     * Why a middleware provider cannot run here.
     *
     * @param provider the provider
     * @param host     the host's SPI version
     * @return the reason in one line, empty when it can run
     */
    public static Optional<String> problem(MiddlewareProvider provider, SpiVersion host) {
        return problem("middleware " + provider.name(), provider.descriptor(), PluginKind.MIDDLEWARE, provider.name(), host);
    }

    static Optional<String> problem(String what, PluginDescriptor descriptor, PluginKind kind, String name,
                                    SpiVersion host) {
        SpiVersion built = descriptor.spiVersion();
        if (descriptor.isUndeclared()) {
            return Optional.of(what + " declares no descriptor, so it was built for an SPI before 1.0; this gateway"
                                       + " offers SPI " + host + ": rebuild it against gateway-api " + host
                                       + " and implement descriptor()");
        }
        if (built.major() != host.major() || built.minor() > host.minor()) {
            String remedy = built.major() == host.major() || built.major() > host.major()
                    ? "run it on a gateway with SPI " + built + " or later, or rebuild it against gateway-api " + host
                    : "rebuild it against gateway-api " + host;
            return Optional.of(what + " was built for SPI " + built + ", this gateway offers SPI " + host + "; " + remedy);
        }
        if (descriptor.kind() != kind || !descriptor.name().equals(name)) {
            return Optional.of(what + "'s descriptor describes " + descriptor.kind().label() + " " + descriptor.name()
                                       + "; a descriptor names what its provider provides");
        }
        return Optional.empty();
    }
}
