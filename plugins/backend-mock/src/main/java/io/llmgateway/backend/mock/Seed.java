package io.llmgateway.backend.mock;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A deterministic source of choices: the same input gives the same seed on every run and every JVM, and
 * each place in a generated document derives its own seed, so a change in one place leaves the others be.
 *
 * @param value the seed
 */
record Seed(long value) {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /**
     * The seed of a text (64-bit FNV-1a over its UTF-8 bytes).
     *
     * @param text the input
     * @return its seed
     */
    static Seed of(String text) {
        return new Seed(mix(FNV_OFFSET, text));
    }

    /**
     * A seed for a named part of what this seed covers.
     *
     * @param part such as an instance path ({@code /items/0})
     * @return the part's seed
     */
    Seed derive(String part) {
        return new Seed(mix(value ^ FNV_PRIME, part));
    }

    /**
     * A pseudo-random sequence starting from this seed.
     *
     * @return a new generator
     */
    Random random() {
        return new Random(value);
    }

    /**
     * A choice of one of {@code count} things.
     *
     * @param count how many there are, at least 1
     * @return 0 to count - 1
     */
    int pick(int count) {
        return Math.floorMod(value ^ (value >>> 29), count);
    }

    private static long mix(long hash, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        // a final avalanche so that nearby inputs give unrelated low bits
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }
}
