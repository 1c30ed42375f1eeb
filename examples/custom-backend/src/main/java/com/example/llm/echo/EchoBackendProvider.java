package com.example.llm.echo;

import java.util.List;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.ValueTypes;

/**
 * Provides the {@code echo} backend; the gateway finds it through {@link java.util.ServiceLoader} and
 * calls {@link #create} when {@code LLM_BACKEND} or {@code LLM_BACKENDS} names {@code echo}.
 *
 * <p>Configuration: {@code ECHO_PREFIX} is put before every answer (default: nothing). The descriptor declares
 * it, so the gateway validates it at start-up, lists it in {@code bin/llm-gateway --help-config}, and hands the
 * plugin its value through {@link PluginContext#settings()}.
 */
public final class EchoBackendProvider implements BackendProvider {

    /** The type that enables this backend, as in {@code LLM_BACKENDS=mock,echo}. */
    static final String TYPE = "echo";

    /** Put before every answer; read from {@code ECHO_PREFIX}, spaces kept. */
    static final SettingSpec<String> PREFIX = SettingSpec.of("prefix", ValueTypes.string(), "put before every answer")
            .env("ECHO_PREFIX").defaultValue("");

    /**
     * What the plugin declares. {@code SpiVersion.MAJOR} and {@code MINOR} are compile-time constants: javac copies
     * them into this class, so the gateway learns which SPI the plugin was built against.
     */
    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.backend(
            TYPE, SpiVersion.MAJOR, SpiVersion.MINOR, "answers with the caller's last message, word by word", List.of(PREFIX));

    /**
     * Creates the provider; {@link java.util.ServiceLoader} needs a public no-argument constructor.
     */
    public EchoBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Backend create(PluginContext context) {
        // Settings come from the context, not System.getenv, so tests and the host decide where they come from.
        return new EchoBackend(context.settings().get(PREFIX));
    }
}
