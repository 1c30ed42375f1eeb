package io.llmgateway.api;

/**
 * The client closed the connection before the answer was complete. Thrown by a {@link ChatSink}; a
 * backend catches it only to stop its work (interrupt a turn, abort an upstream request) and rethrows.
 */
public class ClientDisconnectedException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param cause what the write failed with
     */
    public ClientDisconnectedException(Throwable cause) {
        super("client disconnected", cause);
    }
}
