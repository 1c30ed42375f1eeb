package io.llmgateway.backend.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import jakarta.json.JsonObject;

/** The control messages between the gateway and a process, both ways. */
interface ControlChannel {
    /**
     * Sends a control request and waits for its response.
     *
     * @param request the request ({@code subtype} and its fields)
     * @param timeout how long to wait
     * @return the response payload
     * @throws IOException      when the process is gone or answers with an error
     * @throws TimeoutException when it does not answer in time
     */
    JsonObject control(JsonObject request, Duration timeout) throws IOException, TimeoutException, InterruptedException;

    /**
     * Answers a control request of the process, without waiting for the line to be written.
     *
     * @param requestId the request's {@code request_id}
     * @param response  the answer's payload
     */
    void respond(String requestId, JsonObject response);

    /**
     * Refuses a control request of the process, without waiting.
     *
     * @param requestId the request's {@code request_id}
     * @param error     why, in words
     */
    void respondError(String requestId, String error);
}
