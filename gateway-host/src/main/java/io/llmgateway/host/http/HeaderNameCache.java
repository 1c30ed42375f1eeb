package io.llmgateway.host.http;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/**
 * Helidon header names for the names plugins use, made once: creating one validates its characters,
 * which is measurable when middleware sets half a dozen headers on every answer.
 */
public final class HeaderNameCache {

    /** Plugins use a handful of names; a misbehaving one must not grow this without bound. */
    private static final int MAX_ENTRIES = 1024;
    private static final Map<String, HeaderName> NAMES = new ConcurrentHashMap<>();

    private HeaderNameCache() {
    }

    /**
     * The header name, case-insensitively.
     *
     * @param name the name as a plugin spells it
     * @return Helidon's header name
     */
    public static HeaderName of(String name) {
        HeaderName cached = NAMES.get(name);
        return cached != null ? cached : create(name);
    }

    /**
     * The header name for a response header a plugin sets, checked once: only tokens are kept here.
     *
     * @param name the name as a plugin spells it
     * @return Helidon's header name, or null when the name is not an HTTP token
     */
    public static HeaderName responseName(String name) {
        HeaderName cached = NAMES.get(name);
        return cached != null ? cached : HeaderSyntax.isToken(name) ? create(name) : null;
    }

    private static HeaderName create(String name) {
        HeaderName created = HeaderNames.create(name.toLowerCase(Locale.ROOT));
        // a name that is not a token (a lookup may use any) is never kept, so every kept name is a valid one
        if (NAMES.size() < MAX_ENTRIES && HeaderSyntax.isToken(name)) {
            NAMES.put(name, created);
        }
        return created;
    }
}
