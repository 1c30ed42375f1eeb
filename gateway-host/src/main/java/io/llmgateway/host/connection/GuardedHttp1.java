package io.llmgateway.host.connection;

import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * The listener's one connection selector: every connection is Helidon's HTTP/1 connection inside a
 * {@link GuardedConnection}. A request or a response that says {@code Connection: close} ends the
 * connection once the response is sent (Helidon only echoes the header, then reads on: after a 413, the
 * rejected body was parsed as the next request).
 */
public final class GuardedHttp1 implements ServerConnectionSelector {

    private final Connections connections;
    private final Http1ConnectionSelector http1;

    /**
     * Creates the selector.
     *
     * @param config      Helidon's HTTP/1 settings; the guard's listeners are added to them
     * @param connections where connections are registered and watched
     */
    public GuardedHttp1(Http1Config.Builder config, Connections connections) {
        this.connections = connections;
        Http1Config withListeners = config
                .addReceiveListener(new Http1ConnectionListener() {
                    @Override
                    public void headers(ConnectionContext ctx, Headers headers) {
                        if (ctx instanceof GuardedConnection connection) {
                            connection.headersReceived(headers.containsToken(HeaderValues.CONNECTION_CLOSE));
                        }
                    }
                })
                .addSendListener(new Http1ConnectionListener() {
                    @Override
                    public void headers(ConnectionContext ctx, Headers headers) {
                        if (ctx instanceof GuardedConnection connection
                                && headers.containsToken(HeaderValues.CONNECTION_CLOSE)) {
                            connection.closeRequested();
                        }
                    }
                })
                .build();
        this.http1 = Http1ConnectionSelector.builder().config(withListeners).build();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData request) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return connections.open(ctx, http1);
    }
}
