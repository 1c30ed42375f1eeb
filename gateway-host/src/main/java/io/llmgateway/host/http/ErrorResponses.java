package io.llmgateway.host.http;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerResponse;
import io.llmgateway.api.GatewayException;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

import static java.lang.System.Logger.Level.ERROR;

/**
 * Every error the gateway sends, in OpenAI's shape {@code {"error":{"message","type","param","code"}}}.
 */
public final class ErrorResponses {

    private static final HeaderName RETRY_AFTER_MS = HeaderNames.create("retry-after-ms");

    private static final System.Logger LOGGER = System.getLogger(ErrorResponses.class.getName());
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());
    /** Longer messages are cut: they echo what a client sent (a 1 MB model name) or an upstream said. */
    static final int MAX_MESSAGE = 1000;
    static final int MAX_PARAM = 200;

    private ErrorResponses() {
    }

    /**
     * The JSON body of an error.
     *
     * @param error the error
     * @return {@code {"error":{...}}}
     */
    public static String body(GatewayException error) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject().writeStartObject("error")
                    .write("message", capped(Secrets.installed().scrub(error.getMessage()), MAX_MESSAGE))
                    .write("type", error.type());
            writeNullable(json, "param", error.param().map(param -> capped(param, MAX_PARAM)));
            writeNullable(json, "code", error.code());
            json.writeEnd().writeEnd();
        }
        return out.toString();
    }

    /**
     * Text a client sent, cut to a length fit for a log line or an error message.
     *
     * @param text the text
     * @param max  the most characters kept
     * @return the text, or its start and how much was cut
     */
    public static String capped(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
    }

    /**
     * Sends an error as the whole response.
     *
     * @param response     the response, not yet started
     * @param error        the error
     * @param extraHeaders headers to add (set by middleware, such as rate-limit headers)
     */
    public static void send(ServerResponse response, GatewayException error, List<Header> extraHeaders) {
        response.status(Status.create(error.status()));
        extraHeaders.forEach(response::header);
        error.retryAfter().ifPresent(delay -> {
            response.header(HeaderNames.RETRY_AFTER, retryAfterSeconds(delay));
            // the OpenAI SDKs read this one first: the delay without rounding it up to whole seconds
            response.header(RETRY_AFTER_MS, Long.toString(Math.max(0, delay.toMillis())));
        });
        if (error.status() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            // the rest of an oversized body is not worth reading just to keep the connection
            response.header(HeaderValues.CONNECTION_CLOSE);
        }
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(body(error).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code Retry-After} in whole seconds, rounded up, at least 1.
     *
     * @param delay the delay
     * @return the header value
     */
    public static String retryAfterSeconds(Duration delay) {
        long seconds = (delay.toMillis() + 999) / 1000;
        return Long.toString(Math.max(1, seconds));
    }

    /**
     * 404 for paths the gateway does not serve.
     *
     * @return the handler
     */
    public static Handler notFound() {
        return (request, response) -> send(response, new GatewayException(
                404, "invalid_request_error", Optional.of("unknown_url"), Optional.empty(),
                "Unknown request URL: " + request.prologue().method().text() + " " + request.path().absolute().path()
                        + ". The gateway serves /v1/chat/completions, /v1/models, /health, /sessions and /metrics."),
                                               List.of());
    }

    /**
     * 405 for a known path with the wrong method.
     *
     * @param allowed the methods the path accepts
     * @return the handler
     */
    public static Handler methodNotAllowed(String allowed) {
        return (request, response) -> {
            response.header(HeaderNames.ALLOW, allowed);
            send(response, new GatewayException(
                    405, "invalid_request_error", Optional.of("method_not_allowed"), Optional.empty(),
                    "Method " + request.prologue().method().text() + " is not allowed on " + request.path().absolute().path()
                            + "; use " + allowed + "."), List.of());
        };
    }

    /**
     * Last resort for exceptions that escape a handler: a client error keeps its status, anything else
     * is logged with its stack trace and answered as a 500 without internals.
     *
     * @return the error handler
     */
    public static ErrorHandler<Throwable> unexpected() {
        return (request, response, throwable) -> {
            if (throwable instanceof GatewayException error) {
                send(response, error, List.of());
            } else if (throwable instanceof HttpException http && http.status().code() < 500) {
                send(response, new GatewayException(http.status().code(), "invalid_request_error", Optional.empty(),
                                                    Optional.empty(), http.status().reasonPhrase()), List.of());
            } else {
                String id = RequestIds.of(response);
                LOGGER.log(ERROR, "request " + id + " failed: " + request.prologue().method().text() + " "
                        + request.path().absolute().path(), throwable);
                send(response, GatewayException.internal("The gateway failed to handle the request (request id " + id
                                                                  + ")"), List.of());
            }
        };
    }

    /**
     * Errors Helidon answers before routing (malformed HTTP, headers too large, ...), also as JSON.
     *
     * @return the direct handlers
     */
    public static DirectHandlers directHandlers() {
        DirectHandler json = (request, eventType, status, headers, message) -> {
            boolean clientError = status.code() < 500;
            GatewayException error = new GatewayException(
                    status.code(), clientError ? "invalid_request_error" : "server_error", Optional.empty(),
                    Optional.empty(), message == null || message.isBlank() ? status.reasonPhrase() : message);
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .header(RequestIds.HEADER, "req_" + RequestIds.random(24))
                    .header(HeaderValues.CONTENT_TYPE_JSON)
                    .entity(body(error).getBytes(StandardCharsets.UTF_8))
                    .keepAlive(eventType.keepAlive())
                    .build();
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, json);
        }
        return builder.build();
    }

    private static void writeNullable(JsonGenerator json, String name, Optional<String> value) {
        if (value.isPresent()) {
            json.write(name, value.get());
        } else {
            json.writeNull(name);
        }
    }
}
