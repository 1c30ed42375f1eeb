package io.llmgateway.host.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;
import io.llmgateway.api.GatewayException;
import io.llmgateway.host.connection.CloseReason;
import io.llmgateway.host.connection.GuardedConnection;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

/**
 * Reads a request body as a JSON object, refusing (with an OpenAI error) bodies that are too large,
 * arrive too slowly or cut short, are not UTF-8, not JSON, nested too deeply, not an object or followed by
 * anything but whitespace. Memory follows the bytes that arrived, within the {@link BodyBudget}.
 */
final class JsonBodyReader {

    /** Deeper than any real chat request; keeps a hostile body from costing stack or time. */
    static final int MAX_DEPTH = 64;
    /** The first buffer, for bodies of unknown length or an announced length that is yet to arrive. */
    private static final int FIRST_BUFFER = 16 * 1024;

    private static final JsonParserFactory PARSERS = Json.createParserFactory(
            Map.of("org.eclipse.parsson.maxDepth", MAX_DEPTH,
                   "org.eclipse.parsson.rejectDuplicateKeys", true));

    private final long maxBytes;
    private final BodyBudget budget;

    JsonBodyReader(long maxBytes, long budgetBytes) {
        this.maxBytes = maxBytes;
        this.budget = new BodyBudget(budgetBytes);
    }

    /**
     * Reads the whole body.
     *
     * @param request    the request
     * @param connection its connection, told when the body is in (so waiting afterwards is no body timeout)
     * @return the body's bytes
     */
    byte[] read(ServerRequest request, Optional<GuardedConnection> connection) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            throw tooLarge();
        }
        if (!request.content().hasEntity()) {
            throw GatewayException.invalidRequest("The request body is empty; expected a JSON object");
        }
        try (BodyBudget.Share share = budget.share(); InputStream in = request.content().inputStream()) {
            byte[] bytes = readBounded(in, declared, share);
            connection.ifPresent(GuardedConnection::bodyRead);
            return bytes;
        } catch (IOException | UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            throw notReceived(connection, declared);
        } catch (RequestException e) {
            throw GatewayException.invalidRequest("The request body is not valid HTTP/1.1 chunked coding: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof GatewayException gateway) {
                throw gateway;
            }
            // a read that failed because the connection was closed under it (a body timeout) or reset
            throw notReceived(connection, declared);
        }
    }

    /**
     * Parses a body read by {@link #read}.
     *
     * @param bytes the body
     * @return the JSON object
     */
    JsonObject parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw GatewayException.invalidRequest("The request body is empty; expected a JSON object");
        }
        JsonValue value;
        try (JsonParser parser = PARSERS.createParser(new StringReader(decode(bytes)))) {
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) {
                throw trailing();
            }
        } catch (JsonParsingException e) {
            throw GatewayException.invalidRequest("We could not parse the JSON body of your request: "
                                                          + e.getMessage()
                                                          + ". Expected one JSON object, nested at most " + MAX_DEPTH
                                                          + " levels deep.");
        } catch (JsonException | IllegalStateException e) {
            throw GatewayException.invalidRequest("We could not parse the JSON body of your request: " + e.getMessage());
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            // Parsson reports nesting beyond maxDepth with a bare RuntimeException
            throw GatewayException.invalidRequest("We could not parse the JSON body of your request: it is nested more"
                                                          + " than " + MAX_DEPTH + " levels deep.");
        }
        if (!(value instanceof JsonObject object)) {
            throw GatewayException.invalidRequest("The request body must be a JSON object, but got "
                                                          + ChatRequestParser.describe(value) + " instead.");
        }
        return object;
    }

    private byte[] readBounded(InputStream in, long declared, BodyBudget.Share share) throws IOException {
        long limit = declared >= 0 ? declared : maxBytes + 1;
        byte[] buffer = new byte[(int) Math.min(limit, FIRST_BUFFER)];
        share.grow(buffer.length);
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length == limit) {
                    break;
                }
                int grown = (int) Math.min(limit, (long) buffer.length * 2);
                share.grow(grown - buffer.length);
                buffer = Arrays.copyOf(buffer, grown);
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                break;
            }
            length += read;
        }
        if (length > maxBytes) {
            throw tooLarge();
        }
        if (declared >= 0 && length < declared) {
            throw GatewayException.invalidRequest("The request body ended after " + length + " of its " + declared
                                                          + " declared bytes");
        }
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    private static GatewayException notReceived(Optional<GuardedConnection> connection, long declared) {
        if (connection.flatMap(GuardedConnection::closedFor).filter(CloseReason.BODY_TIMEOUT::equals).isPresent()) {
            return new GatewayException(408, "invalid_request_error", Optional.of("request_timeout"), Optional.empty(),
                                        "The request body did not arrive within the gateway's body timeout"
                                                + " (LLM_BODY_TIMEOUT)");
        }
        return GatewayException.invalidRequest(declared >= 0
                                                       ? "The request body ended before its " + declared + " declared bytes"
                                                       : "The request body ended before its last chunk");
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw GatewayException.invalidRequest("The request body is not valid UTF-8");
        }
    }

    private static GatewayException trailing() {
        return GatewayException.invalidRequest("We could not parse the JSON body of your request: there is more after"
                                                       + " the JSON object. Expected exactly one JSON object.");
    }

    private GatewayException tooLarge() {
        return new GatewayException(413, "invalid_request_error", Optional.of("request_too_large"),
                                    Optional.empty(),
                                    "The request body is larger than the gateway accepts (LLM_MAX_REQUEST_BYTES = "
                                            + maxBytes + " bytes)");
    }
}
