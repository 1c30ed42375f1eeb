/**
 * An example backend plugin for llm-gateway (type {@code echo}, model {@code echo}): answers with the
 * caller's last message. The gateway loads it as a module layer of its own, seeing only the SPI.
 */
module com.example.llm.echo {
    requires io.llmgateway.api;

    // Keep in step with META-INF/services/io.llmgateway.api.BackendProvider, which is what the gateway
    // reads when the jar is loaded from the class path instead.
    provides io.llmgateway.api.BackendProvider with com.example.llm.echo.EchoBackendProvider;
}
