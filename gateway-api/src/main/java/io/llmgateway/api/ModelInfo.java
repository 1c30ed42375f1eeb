package io.llmgateway.api;

import static java.util.Objects.requireNonNull;

/**
 * A model as {@code /v1/models} lists it.
 *
 * @param id      the model id clients send
 * @param ownedBy who provides it
 * @param created creation time in epoch seconds
 */
public record ModelInfo(String id, String ownedBy, long created) {

    /**
     * Validates.
     */
    public ModelInfo {
        requireNonNull(id, "id is null");
        requireNonNull(ownedBy, "ownedBy is null");
    }
}
