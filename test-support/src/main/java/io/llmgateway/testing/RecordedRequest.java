package io.llmgateway.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * One request {@link FakeAnthropicApi} received, with accessors for what tests usually check: the
 * prompt's messages, the system prompt's text, the last user message's text and headers. The reply's
 * outcome ({@link #clientDisconnected()}) is filled in when the reply ends; {@link #awaitFinished} waits
 * for it.
 */
public final class RecordedRequest {
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
     * new lines; empty if there is none}
     */
    public String systemText() {
        return Jsons.text(body.get("system"));
    }

    /**
     * {@return the text of the last {@code user} message: its string content, or the text of its text
     * blocks joined with new lines; empty if there is no user message}
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
