package io.llmgateway.api;

/**
 * How much more a backend can take on now, for balancing by load (the CLI pool's free sessions).
 *
 * @param free  calls it can start at once
 * @param total calls it can run at once in all
 */
public record Capacity(int free, int total) {

    /** Validates. */
    public Capacity {
        if (free < 0 || total < 0 || free > total) {
            throw new IllegalArgumentException("need 0 <= free <= total: " + free + ", " + total);
        }
    }
}
