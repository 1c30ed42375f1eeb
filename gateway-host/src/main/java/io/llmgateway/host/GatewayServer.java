package io.llmgateway.host;

import java.time.Duration;
import java.util.List;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.llmgateway.host.chat.ChatEndpoint;
import io.llmgateway.host.chat.RequestLimits;
import io.llmgateway.host.connection.GuardedHttp1;
import io.llmgateway.host.endpoints.HealthEndpoint;
import io.llmgateway.host.endpoints.MetricsEndpoint;
import io.llmgateway.host.endpoints.ModelsEndpoint;
import io.llmgateway.host.endpoints.SessionsEndpoint;
import io.llmgateway.host.http.ErrorResponses;
import io.llmgateway.host.http.RequestIds;
import io.llmgateway.host.http.ServiceIndex;

/**
 * The HTTP side: the routes of the gateway on Helidon WebServer.
 */
public final class GatewayServer {

    private static final Duration HELIDON_GRACE_MARGIN = Duration.ofSeconds(5);

    private GatewayServer() {
    }

    /**
     * Creates (without starting) the server for a gateway.
     *
     * @param gateway the gateway
     * @return the server
     */
    public static WebServer create(Gateway gateway) {
        return configure(WebServer.builder(), gateway).build();
    }

    /**
     * Configures a server builder: address, error rendering and routes.
     *
     * @param builder the builder
     * @param gateway the gateway
     * @return the builder
     */
    public static WebServerConfig.Builder configure(WebServerConfig.Builder builder, Gateway gateway) {
        return builder.host(gateway.config().host())
                .port(gateway.config().port())
                // Main stops the server itself, before closing the backends
                .shutdownHook(false)
                // streamed chunks are small writes: without TCP_NODELAY, Nagle's algorithm holds each one
                // back until the client's delayed ACK (about 40 ms)
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                // Helidon checks every response header's bytes as it writes them; ours are constants or were
                // checked when a plugin set them (ChatExchange.responseHeader), so that is done once. The
                // guarded HTTP/1.1 selector is the only one: with a second, a request that fits neither
                // (garbage) would be dropped unanswered
                .protocolsDiscoverServices(false)
                .protocols(List.of())
                .addConnectionSelector(new GuardedHttp1(Http1Config.builder().validateResponseHeaders(false),
                                                        gateway.connections()))
                .maxTcpConnections(gateway.config().connections().maxConnections())
                // Shutdown stops the calls left after its grace itself; Helidon's own cut comes after that
                .shutdownGracePeriod(gateway.config().shutdownGrace().plus(HELIDON_GRACE_MARGIN))
                .directHandlers(ErrorResponses.directHandlers())
                .routing(routing -> routing(routing, gateway));
    }

    /**
     * The routes.
     *
     * @param routing the routing builder
     * @param gateway the gateway
     */
    public static void routing(HttpRouting.Builder routing, Gateway gateway) {
        GatewayConfig config = gateway.config();
        routing.addFilter(gateway.connections().requestBoundaries())
                .addFilter(gateway.connections().headAsGet())
                .addFilter(new RequestIds())
                .get("/", ServiceIndex.handler())
                .post("/v1/chat/completions", new ChatEndpoint(
                        gateway.router(), gateway.chain(), gateway.metrics(), gateway.requestLog(), gateway.connections(),
                        gateway.calls(), new RequestLimits(config.maxRequestBytes(), config.bodyBytes(),
                                                           config.requestTimeout()), gateway.clock()))
                .any("/v1/chat/completions", ErrorResponses.methodNotAllowed("POST"))
                .register("/v1/models", new ModelsEndpoint(gateway.router()))
                .register("/health", new HealthEndpoint(gateway.router(), gateway::draining))
                .get("/sessions", new SessionsEndpoint(gateway.router()))
                .any("/sessions", ErrorResponses.methodNotAllowed("GET"))
                .get("/metrics", new MetricsEndpoint(gateway.metrics()))
                .any("/metrics", ErrorResponses.methodNotAllowed("GET"))
                .any(ErrorResponses.notFound())
                .error(Throwable.class, ErrorResponses.unexpected());
    }
}
