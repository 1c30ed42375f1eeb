package io.llmgateway.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * One request a fake API ({@link FakeAnthropicApi}, {@link FakeOpenAiApi}) received, with accessors for
 * what tests usually check: the model, the prompt's messages, the system prompt's text, the last user
 * message's text and headers. They read both APIs' bodies, which share {@code model}, {@code stream},
 * {@code messages} and text content (a string or an array of {@code text} parts). The reply's
 * outcome ({@link #clientDisconnected()}) is filled in when the reply ends; {@link #awaitFinished} waits
 * for it.
 */
public final class RecordedRequest {
    /** The roles of OpenAI's system prompts. */
    private static final Set<String> SYSTEM_ROLES = Set.of("system", "developer");

    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final JsonObject body;
    private final Instant receivedAt;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean clientDisconnected;

    RecordedRequest(String method, String path, Map<String, List<String>> headers, JsonObject body, Instant receivedAt) {
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
        this.receivedAt = receivedAt;
    }

    /** {@return the HTTP method, e.g. {@code POST}} */
    public String method() {
        return method;
    }

    /** {@return the path with its query as received, e.g. {@code /v1/messages?beta=true}} */
    public String path() {
        return path;
    }

    /** {@return every header, names in lower case} */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** {@return the first value of the header (any case), or null if it was not sent} */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** {@return the JSON body; an empty object if the body was empty or not a JSON object} */
    public JsonObject body() {
        return body;
    }

    /** {@return when the request arrived} */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** {@return the body's {@code model}, or null} */
    public String model() {
        return Jsons.string(body, "model");
    }

    /** {@return whether the body asked for a stream ({@code "stream": true})} */
    public boolean stream() {
        return body.get("stream") == JsonValue.TRUE;
    }

    /** {@return the body's {@code messages}; empty if there are none} */
    public JsonArray messages() {
        return body.get("messages") instanceof JsonArray messages ? messages : JsonValue.EMPTY_JSON_ARRAY;
    }

    /**
     * {@return the system prompt's text: the {@code system} string, or the text of its blocks joined with
     * new lines (Anthropic); without {@code system}, the text of the {@code system} and {@code developer}
     * messages joined with new lines (OpenAI); empty if there is none}
     */
    public String systemText() {
        if (body.containsKey("system")) {
            return Jsons.text(body.get("system"));
        }
        return messages().stream()
                .filter(message -> message instanceof JsonObject object
                        && object.get("role") instanceof JsonString role && SYSTEM_ROLES.contains(role.getString()))
                .map(message -> Jsons.text(message.asJsonObject().get("content")))
                .collect(Collectors.joining("\n"));
    }

    /**
     * {@return the text of the last {@code user} message: its string content, or the text of its text
     * blocks (parts) joined with new lines; empty if there is no user message}
     */
    public String lastUserText() {
        JsonArray messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof JsonObject message && "user".equals(Jsons.string(message, "role"))) {
                return Jsons.text(message.get("content"));
            }
        }
        return "";
    }

    /** {@return the names of the body's {@code tools}, in order; empty if it has none} */
    public List<String> toolNames() {
        return body.get("tools") instanceof JsonArray tools
                ? tools.stream().filter(JsonObject.class::isInstance).map(tool -> Jsons.string(tool.asJsonObject(), "name"))
                        .toList()
                : List.of();
    }

    /**
     * {@return the {@code tool_result} blocks of the last {@code user} message (Anthropic), by
     * {@code tool_use_id}, each as its text (the text of its blocks joined, or its string content); empty if
     * it has none}
     */
    public Map<String, String> toolResults() {
        JsonArray messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof JsonObject message && "user".equals(Jsons.string(message, "role"))) {
                Map<String, String> results = new LinkedHashMap<>();
                if (message.get("content") instanceof JsonArray blocks) {
                    for (JsonValue block : blocks) {
                        if (block instanceof JsonObject result && "tool_result".equals(Jsons.string(result, "type"))) {
                            results.put(Jsons.string(result, "tool_use_id"), Jsons.text(result.get("content")));
                        }
                    }
                }
                return results;
            }
        }
        return Map.of();
    }

    /**
     * {@return whether the client went away before the reply was completely written} Known only once the
     * reply ended (see {@link #awaitFinished}); a client that gives up on a {@link Reply.Hang} is not seen.
     */
    public boolean clientDisconnected() {
        return clientDisconnected;
    }

    /**
     * Waits until the reply to this request ended: written completely, cut on purpose, or abandoned by the
     * client.
     *
     * @return true if it ended within the timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    void finish(boolean disconnected) {
        clientDisconnected = disconnected;
        finished.countDown();
    }

    @Override
    public String toString() {
        String json = body.toString();
        return method + " " + path + " " + (json.length() > 200 ? json.substring(0, 200) + "..." : json);
    }
}
