package com.example.llm.echo;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginContext;

/**
 * Provides the {@code echo} backend; the gateway finds it through {@link java.util.ServiceLoader} and
 * calls {@link #create} when {@code LLM_BACKEND} or {@code LLM_BACKENDS} names {@code echo}.
 *
 * <p>Configuration: {@code ECHO_PREFIX} is put before every answer (default: nothing).
 */
public final class EchoBackendProvider implements BackendProvider {

    /** The type that enables this backend, as in {@code LLM_BACKENDS=mock,echo}. */
    static final String TYPE = "echo";

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
    public Backend create(PluginContext context) {
        // Settings come from the context, not System.getenv, so tests and the host decide where they come from.
        String prefix = context.config().string("ECHO_PREFIX", "");
        return new EchoBackend(prefix);
    }
}
