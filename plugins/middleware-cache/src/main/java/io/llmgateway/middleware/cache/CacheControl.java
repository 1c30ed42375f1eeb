package io.llmgateway.middleware.cache;

import java.util.Locale;
import java.util.Optional;

/**
 * The request's {@code Cache-Control} directives the cache honours: {@code no-cache} (do not answer
 * from the cache) and {@code no-store} (do not keep this answer). Others ({@code max-age}, ...) are
 * ignored; directive names are case-insensitive.
 *
 * @param noCache skip the lookup
 * @param noStore skip the fill
 */
record CacheControl(boolean noCache, boolean noStore) {

    private static final CacheControl NONE = new CacheControl(false, false);

    /**
     * Reads the header.
     *
     * @param header the {@code Cache-Control} value, if any
     * @return the directives
     */
    static CacheControl of(Optional<String> header) {
        if (header.isEmpty()) {
            return NONE;
        }
        boolean noCache = false;
        boolean noStore = false;
        for (String part : header.get().split(",")) {
            String directive = part.strip();
            int equals = directive.indexOf('=');
            String name = (equals < 0 ? directive : directive.substring(0, equals)).strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "no-cache" -> noCache = true;
                case "no-store" -> noStore = true;
                default -> { } // not for this cache
            }
        }
        return new CacheControl(noCache, noStore);
    }
}
