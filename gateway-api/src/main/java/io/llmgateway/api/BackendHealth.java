package io.llmgateway.api;

import static java.util.Objects.requireNonNull;

/**
 * A backend's state.
 *
 * @param state  whether it can serve
 * @param detail a short human-readable explanation (empty when all is well)
 */
public record BackendHealth(State state, String detail) {

    /**
     * Validates.
     */
    public BackendHealth {
        requireNonNull(state, "state is null");
        requireNonNull(detail, "detail is null");
    }

    /**
     * Serving.
     *
     * @return an UP health
     */
    public static BackendHealth up() {
        return new BackendHealth(State.UP, "");
    }

    /**
     * Whether requests can be served now.
     *
     * @return true when UP
     */
    public boolean isUp() {
        return state == State.UP;
    }

    /**
     * The states.
     */
    public enum State {
        /** Serving. */
        UP,
        /** Not yet serving (warming up). */
        STARTING,
        /** Cannot serve; the detail says why. */
        DOWN
    }
}
