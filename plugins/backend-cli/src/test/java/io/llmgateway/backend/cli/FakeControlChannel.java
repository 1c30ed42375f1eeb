package io.llmgateway.backend.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A process's control channel without a process: records what the gateway answers and sends, and lets a test
 * play the CLI's part when the gateway sends a control request.
 */
final class FakeControlChannel implements ControlChannel {

    private final List<JsonObject> sent = new ArrayList<>();
    private final List<String> answered = new ArrayList<>();
    private final List<JsonObject> responses = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private Consumer<JsonObject> onControl = request -> { };

    /** What the fake CLI does when the gateway sends it a control request (answer it, ask something back). */
    FakeControlChannel onControl(Consumer<JsonObject> action) {
        this.onControl = action;
        return this;
    }

    @Override
    public synchronized JsonObject control(JsonObject request, Duration timeout) {
        sent.add(request);
        onControl.accept(request);
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    @Override
    public synchronized void respond(String requestId, JsonObject response) {
        answered.add(requestId);
        responses.add(response);
    }

    @Override
    public synchronized void respondError(String requestId, String error) {
        errors.add(requestId + ": " + error);
    }

    synchronized List<JsonObject> sent() {
        return List.copyOf(sent);
    }

    /** The ids of the requests answered with success, in order. */
    synchronized List<String> answered() {
        return List.copyOf(answered);
    }

    synchronized JsonObject lastResponse() {
        return responses.getLast();
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }
}
