package io.llmgateway.bench.baseline;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * The least work any gateway must do per non-streaming chat request: parse the JSON body, read
 * {@code model}, answer a {@code chat.completion} of the gateway's shape and size (about 400 bytes).
 * No validation, routing, backend, metrics or logging: the difference to the gateway is their cost.
 *
 * <p>Usage: {@code BaselineServer [port [host]]}; the port defaults to {@code BASELINE_PORT} (0 picks a
 * free one), the host to {@code BASELINE_HOST}, else 127.0.0.1. Prints {@code listening on <host>:<port>}
 * on stdout once ready.
 */
public final class BaselineServer {

    // The answer around the model name, as the gateway's mock backend answers
    // {"model":"mock","messages":[{"role":"user","content":"Say hello in one short sentence."}]}.
    private static final byte[] BEFORE_MODEL = ascii(
            "{\"id\":\"chatcmpl-gEEFDVHs0gwmfb7BkxZ1cW1nZVHXp\",\"object\":\"chat.completion\","
                    + "\"created\":1795696217,\"model\":");
    private static final byte[] AFTER_MODEL = ascii(
            ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Mock answer from mock to: Say hello in one short sentence.\",\"refusal\":null},"
                    + "\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":13,\"completion_tokens\":13,\"total_tokens\":26,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}");
    private static final byte[] BAD_REQUEST = ascii(
            "{\"error\":{\"message\":\"model is required\",\"type\":\"invalid_request_error\"}}");

    private BaselineServer() {
    }

    /**
     * Starts the server; it runs until the process is killed.
     *
     * @param args optional port and host
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args.length > 0 ? args[0] : env("BASELINE_PORT", "0"));
        String host = args.length > 1 ? args[1] : env("BASELINE_HOST", "127.0.0.1");
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .routing(routing -> routing.post("/v1/chat/completions", BaselineServer::chat))
                .build()
                .start();
        System.out.println("listening on " + host + ":" + server.port());
    }

    private static void chat(ServerRequest request, ServerResponse response) {
        // Helidon's JSON-P media support parses the body with Parsson
        JsonObject body = request.content().as(JsonObject.class);
        Optional<String> model = Optional.ofNullable(body.get("model"))
                .filter(JsonString.class::isInstance)
                .map(value -> value.toString()); // the JSON text, quotes and escapes included
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        if (model.isEmpty()) {
            response.status(Status.BAD_REQUEST_400).send(BAD_REQUEST);
            return;
        }
        byte[] name = model.get().getBytes(StandardCharsets.UTF_8);
        byte[] answer = new byte[BEFORE_MODEL.length + name.length + AFTER_MODEL.length];
        System.arraycopy(BEFORE_MODEL, 0, answer, 0, BEFORE_MODEL.length);
        System.arraycopy(name, 0, answer, BEFORE_MODEL.length, name.length);
        System.arraycopy(AFTER_MODEL, 0, answer, BEFORE_MODEL.length + name.length, AFTER_MODEL.length);
        response.send(answer);
    }

    private static String env(String key, String defaultValue) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
