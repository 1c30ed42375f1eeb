package io.llmgateway.middleware.cache;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;


/**
 * Where a request's answer is kept: the SHA-256 of the canonical request, that is the backend type, the
 * model, the tenant (unless the cache is shared) and the request body without the fields that do not
 * change the answer, written by {@link CanonicalJson}.
 *
 * <p>An answer the host renders itself (text, tool calls) serves both streamed and whole requests, so it
 * is kept under the hash alone. An answer relayed from an OpenAI-compatible upstream
 * ({@link io.llmgateway.api.ChatDelta.Passthrough}) is the upstream's own chunks or completion, valid only
 * for the {@link Mode} it was asked in, so it is kept under the hash plus that mode.
 *
 * <p>The hash is held as four longs rather than as text: a key is built for every request, and hashing
 * and comparing four longs costs next to nothing, where a 64-character string is hashed char by char.
 *
 * @param h0      bytes 0-7 of the SHA-256
 * @param h1      bytes 8-15
 * @param h2      bytes 16-23
 * @param h3      bytes 24-31
 * @param variant 0 for a rendered answer, else 1 + the {@link Mode}'s ordinal of a relayed one
 */
record CacheKey(long h0, long h1, long h2, long h3, int variant) {

    /**
     * Body fields that do not change the answer: how it is delivered ({@code stream},
     * {@code stream_options}; a relayed answer depends on them and is keyed by {@link Mode} instead), who
     * asks and what for ({@code user}, {@code safety_identifier}, {@code metadata}), whether OpenAI keeps
     * the exchange ({@code store}) and hints for OpenAI's prompt cache ({@code prompt_cache_key},
     * {@code prompt_cache_retention}). {@code model} is left out of the body because the key holds the
     * model the call is served with.
     */
    static final Set<String> NEUTRAL_FIELDS = Set.of("model", "stream", "stream_options", "user", "safety_identifier",
                                                     "metadata", "store", "prompt_cache_key",
                                                     "prompt_cache_retention");

    /** Bumped when the canonical form changes, so that old and new keys never meet. */
    private static final int VERSION = 1;

    /**
     * The key of a call.
     *
     * @param exchange the call
     * @param shared   whether tenants share entries
     * @return the key
     */
    static CacheKey of(ChatExchange exchange, boolean shared) {
        ChatRequest request = exchange.request();
        CanonicalJson canonical = new CanonicalJson();
        canonical.raw("{\"v\":" + VERSION + ",\"backend\":").string(exchange.backend())
                .raw(",\"model\":").string(request.model())
                .raw(",\"scope\":");
        if (shared) {
            canonical.string("shared");
        } else {
            Optional<String> tenant = exchange.tenant();
            canonical.raw("{\"tenant\":").string(tenant.orElse(null)).raw("}");
        }
        canonical.raw(",\"body\":").object(request.body(), NEUTRAL_FIELDS, true).raw("}");
        ByteBuffer hash = ByteBuffer.wrap(canonical.sha256());
        return new CacheKey(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong(), 0);
    }

    /**
     * Bits of the SHA-256, already uniform: the record's generated hash, which mixes every component through
     * method handles, showed up in profiles of the cache's map.
     */
    @Override
    public int hashCode() {
        return Long.hashCode(h0) ^ variant;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheKey key && h0 == key.h0 && h1 == key.h1 && h2 == key.h2 && h3 == key.h3
                && variant == key.variant;
    }

    /**
     * The SHA-256, for diagnostics.
     *
     * @return 64 hex digits
     */
    String hash() {
        return HexFormat.of().toHexDigits(h0) + HexFormat.of().toHexDigits(h1) + HexFormat.of().toHexDigits(h2)
                + HexFormat.of().toHexDigits(h3);
    }

    /**
     * Where an answer the host renders is kept.
     *
     * @return the cache key
     */
    CacheKey rendered() {
        return variant == 0 ? this : new CacheKey(h0, h1, h2, h3, 0);
    }

    /**
     * Where an upstream's relayed answer for one mode is kept.
     *
     * @param mode the mode it was asked in
     * @return the cache key
     */
    CacheKey relayed(Mode mode) {
        return new CacheKey(h0, h1, h2, h3, 1 + mode.ordinal());
    }

    /**
     * How a request wants its answer delivered, which decides the shape of a relayed answer.
     */
    enum Mode {
        /** One {@code chat.completion}. */
        JSON("json"),
        /** {@code chat.completion.chunk} events without a usage chunk. */
        STREAM("stream"),
        /** {@code chat.completion.chunk} events ending in a usage chunk ({@code stream_options.include_usage}). */
        STREAM_WITH_USAGE("stream+usage");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        /**
         * The mode of a request.
         *
         * @param request the request
         * @return its mode
         */
        static Mode of(ChatRequest request) {
            if (!request.stream()) {
                return JSON;
            }
            return request.includeUsage() ? STREAM_WITH_USAGE : STREAM;
        }

        String wireName() {
            return wireName;
        }
    }
}
