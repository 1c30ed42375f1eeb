package io.llmgateway.middleware.cache;

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
        // read in place, as it is on every request: directives split at commas, each name ending at '=' or its end
        String text = header.get();
        boolean noCache = false;
        boolean noStore = false;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf(',', start);
            if (end < 0) {
                end = text.length();
            }
            int nameEnd = start;
            while (nameEnd < end && text.charAt(nameEnd) != '=') {
                nameEnd++;
            }
            noCache |= isDirective(text, start, nameEnd, "no-cache");
            noStore |= isDirective(text, start, nameEnd, "no-store");
            start = end + 1;
        }
        return noCache || noStore ? new CacheControl(noCache, noStore) : NONE;
    }

    /** Whether the text between from and to is the directive, with optional whitespace around it. */
    private static boolean isDirective(String text, int from, int to, String directive) {
        while (from < to && isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return to - from == directive.length() && text.regionMatches(true, from, directive, 0, directive.length());
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
