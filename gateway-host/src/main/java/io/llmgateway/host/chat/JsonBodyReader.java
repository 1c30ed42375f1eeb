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

import io.helidon.webserver.http.ServerRequest;
import io.llmgateway.api.GatewayException;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

/**
 * Reads a request body as a JSON object, refusing (with an OpenAI error) bodies that are too large,
 * not UTF-8, not JSON, nested too deeply or not an object.
 */
final class JsonBodyReader {

    /** Deeper than any real chat request; keeps a hostile body from costing stack or time. */
    static final int MAX_DEPTH = 64;

    private static final JsonReaderFactory READERS = Json.createReaderFactory(
            Map.of("org.eclipse.parsson.maxDepth", MAX_DEPTH,
                   "org.eclipse.parsson.rejectDuplicateKeys", true));

    private final long maxBytes;

    JsonBodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    JsonObject read(ServerRequest request) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes = readBounded(request, declared);
        if (bytes.length == 0) {
            throw GatewayException.invalidRequest("The request body is empty; expected a JSON object");
        }
        return parse(decode(bytes));
    }

    private byte[] readBounded(ServerRequest request, long declared) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = request.content().inputStream()) {
            if (declared >= 0) {
                // the usual case: read into an array of the announced size (readNBytes(n) starts at 16 KiB)
                byte[] bytes = new byte[(int) declared];
                int read = in.readNBytes(bytes, 0, bytes.length);
                return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException | UncheckedIOException e) {
            throw GatewayException.invalidRequest("The request body could not be read: " + e.getMessage());
        }
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

    private static JsonObject parse(String text) {
        JsonValue value;
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (JsonParsingException e) {
            throw GatewayException.invalidRequest("We could not parse the JSON body of your request: "
                                                          + e.getMessage()
                                                          + ". Expected a JSON object, nested at most " + MAX_DEPTH
                                                          + " levels deep.");
        } catch (JsonException e) {
            throw GatewayException.invalidRequest("We could not parse the JSON body of your request: " + e.getMessage());
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

    private GatewayException tooLarge() {
        return new GatewayException(413, "invalid_request_error", Optional.of("request_too_large"),
                                    Optional.empty(),
                                    "The request body is larger than the gateway accepts (LLM_MAX_REQUEST_BYTES = "
                                            + maxBytes + " bytes)");
    }
}
