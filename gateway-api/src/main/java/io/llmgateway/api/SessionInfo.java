package io.llmgateway.api;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * A long-lived backend session (such as a warm CLI process) as {@code /sessions} lists it.
 *
 * @param id        session id
 * @param state     {@code starting}, {@code idle}, {@code busy}, {@code awaiting_tools} (a turn waiting for the
 *                  client's tool results), {@code stopping} or {@code failed}
 * @param pid       the process id, if the session is a process
 * @param model     the model it serves
 * @param origin    {@code warm} (pre-warmed pool) or {@code overflow} (spawned under load)
 * @param created   when it was spawned
 * @param lastUsed  when it last served a request
 * @param requests  how many requests it served
 * @param turnsHeld how many conversation turns it holds now
 */
public record SessionInfo(String id,
                          String state,
                          OptionalLong pid,
                          String model,
                          String origin,
                          Instant created,
                          Optional<Instant> lastUsed,
                          long requests,
                          int turnsHeld) {

    /**
     * Validates.
     */
    public SessionInfo {
        requireNonNull(id, "id is null");
        requireNonNull(state, "state is null");
        requireNonNull(pid, "pid is null");
        requireNonNull(model, "model is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(created, "created is null");
        requireNonNull(lastUsed, "lastUsed is null");
    }
}
