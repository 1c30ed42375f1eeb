package io.llmgateway.host.chat;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.host.connection.Connections;
import io.llmgateway.host.connection.GuardedConnection;
import io.llmgateway.host.http.ErrorResponses;
import io.llmgateway.host.http.RequestIds;
import io.llmgateway.host.observe.GatewayMetrics;
import io.llmgateway.host.observe.LogLine;
import io.llmgateway.host.observe.RequestLog;
import io.llmgateway.host.router.RoutedCall;
import io.llmgateway.host.router.Router;

import jakarta.json.JsonObject;

import static java.lang.System.Logger.Level.ERROR;

/**
 * {@code POST /v1/chat/completions}: validate, run the middleware chain and then the router's attempts over the
 * model's deployments, answer as JSON or SSE, then record the request's metrics and log line.
 */
public final class ChatEndpoint implements Handler {

    /** nginx's convention for "client closed the connection before the answer". */
    static final int CLIENT_CLOSED = 499;

    private static final System.Logger LOGGER = System.getLogger(ChatEndpoint.class.getName());
    private static final String NONE = "none";
    private static final int MAX_LOGGED_MODEL = 200;

    private final Router router;
    private final MiddlewareChain chain;
    private final GatewayMetrics metrics;
    private final RequestLog log;
    private final Connections connections;
    private final CallsInFlight calls;
    private final JsonBodyReader bodyReader;
    private final Duration requestTimeout;
    private final Clock clock;

    /**
     * Creates the endpoint.
     *
     * @param router      routes calls to deployments
     * @param chain       the middleware
     * @param metrics     request metrics
     * @param log         the request log
     * @param connections the client connections, for timing writes and noticing clients gone
     * @param calls       where running calls are registered for a shutdown
     * @param limits      body size, body memory and request timeout
     * @param clock       the clock
     */
    public ChatEndpoint(Router router, MiddlewareChain chain, GatewayMetrics metrics, RequestLog log,
                        Connections connections, CallsInFlight calls, RequestLimits limits, Clock clock) {
        this.router = router;
        this.chain = chain;
        this.metrics = metrics;
        this.log = log;
        this.connections = connections;
        this.calls = calls;
        this.bodyReader = new JsonBodyReader(limits.maxRequestBytes(), limits.bodyBytesInFlight());
        this.requestTimeout = limits.requestTimeout();
        this.clock = clock;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        long startNanos = System.nanoTime();
        Instant received = clock.instant();
        String requestId = RequestIds.of(response);
        Call call = new Call(connections.of(request));
        CallsInFlight.Running running = calls.start();
        try {
            call.connection.ifPresent(connection -> connection.writeDeadline(requestTimeout));
            byte[] bytes = readBody(request, response, call);
            ChatRequest chat = ChatRequestParser.parse(bodyReader.parse(bytes));
            call.stream = chat.stream();
            call.requestedModel = ErrorResponses.capped(chat.model(), MAX_LOGGED_MODEL);
            RoutedCall routed = router.call(chat.model());
            call.routed = routed;
            call.model = routed.modelLabel();
            HostExchange exchange = new HostExchange(requestId, chat, routed.backendType(), request.headers(),
                                                     request.remotePeer().host(), received,
                                                     received.plus(requestTimeout), call::clientGone);
            call.exchange = exchange;
            CompletionJson.Head head = new CompletionJson.Head("chatcmpl-" + RequestIds.random(29),
                                                               received.getEpochSecond(), chat.model(),
                                                               chat.includeUsage());
            call.answer = chat.stream()
                    ? new StreamedAnswer(response, exchange, head, startNanos, chat.includeUsage())
                    : new JsonAnswer(response, exchange, head, startNanos);
            chain.run(exchange, call.answer, routed::chat);
            call.answer.complete();
            call.status = 200;
        } catch (GatewayException e) {
            call.fail(running.stoppedByShutdown() ? shuttingDown() : e, response);
        } catch (ClientDisconnectedException | UncheckedIOException | CloseConnectionException e) {
            call.status = CLIENT_CLOSED;
        } catch (RuntimeException e) {
            if (running.stoppedByShutdown()) {
                call.fail(shuttingDown(), response);
            } else {
                LOGGER.log(ERROR, "request " + requestId + " failed in backend " + call.backend, e);
                call.fail(GatewayException.internal("The gateway failed to handle the request (request id " + requestId
                                                            + ")"), response);
            }
        } finally {
            calls.end(running);
            if (call.routed != null) {
                call.routed.close();
                call.backend = call.routed.backendType();
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            metrics.request(call.status, call.backend, call.model, call.tenant(), seconds);
            log.write(call.logLine(received, requestId, seconds));
        }
    }

    /** A body that was not read whole leaves the connection out of step: its answer closes it. */
    private byte[] readBody(ServerRequest request, ServerResponse response, Call call) {
        try {
            return bodyReader.read(request, call.connection);
        } catch (GatewayException e) {
            response.header(HeaderValues.CONNECTION_CLOSE);
            throw e;
        }
    }

    /** Answers a call the shutdown stopped; the interrupt that stopped it must not also stop the answer. */
    private static GatewayException shuttingDown() {
        Thread.interrupted();
        return GatewayException.unavailable("The gateway is shutting down and stopped this request; retry it",
                                            Optional.of(Duration.ofSeconds(1)));
    }

    /** What the request log and metrics need to know about one call, filled in as it progresses. */
    private static final class Call {
        private final Optional<GuardedConnection> connection;
        private int status = 500;
        private String backend = NONE;
        private RoutedCall routed;
        /** The model label for metrics: only configured public names and patterns, so clients cannot invent series. */
        private String model = NONE;
        private String requestedModel = NONE;
        private boolean stream;
        private HostExchange exchange;
        private Answer answer;
        private GatewayException error;

        Call(Optional<GuardedConnection> connection) {
            this.connection = connection;
        }

        boolean clientGone() {
            return connection.map(GuardedConnection::clientGone).orElse(false);
        }

        /** Whether the gateway closed the connection itself (a timeout), so the client saw no answer. */
        private boolean closedByGateway() {
            return connection.flatMap(GuardedConnection::closedFor).isPresent();
        }

        String tenant() {
            return exchange == null ? NONE : exchange.tenant().orElse(NONE);
        }

        void fail(GatewayException failure, ServerResponse response) {
            error = failure;
            status = failure.status();
            if (answer != null) {
                answer.fail(failure);
            } else {
                try {
                    ErrorResponses.send(response, failure, List.of());
                } catch (UncheckedIOException | CloseConnectionException e) {
                    // a body timeout is logged as the 408 it is, though the closed connection could not carry it
                    status = closedByGateway() ? failure.status() : CLIENT_CLOSED;
                }
            }
        }

        LogLine logLine(Instant received, String requestId, double seconds) {
            LogLine line = new LogLine(received)
                    .field("request_id", requestId);
            if (exchange != null) {
                exchange.tenant().ifPresent(tenant -> line.field("tenant", tenant));
            }
            line.field("model", requestedModel)
                    .field("backend", backend)
                    .field("stream", stream)
                    .field("status", status)
                    .millis("latency_ms", seconds);
            if (answer != null) {
                answer.timeToFirstToken().ifPresent(ttft -> line.millis("ttft_ms", ttft));
                Optional<TokenUsage> usage = answer.usage();
                usage.ifPresent(counted -> line.field("prompt_tokens", counted.promptTokens())
                        .field("completion_tokens", counted.completionTokens()));
            }
            if (error != null) {
                line.field("error_type", error.type());
                error.code().ifPresent(code -> line.field("error_code", code));
            }
            connection.flatMap(GuardedConnection::closedFor).ifPresent(reason -> line.field("closed", reason.label()));
            if (exchange != null) {
                exchange.annotations().forEach((key, value) -> {
                    if (value instanceof Duration elapsed) {
                        line.millis(key, elapsed.toNanos() / 1e9);
                    } else {
                        line.field(key, value.toString());
                    }
                });
            }
            return line;
        }
    }
}
