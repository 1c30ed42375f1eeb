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
        if (cached != null) {
            return cached;
        }
        HeaderName created = HeaderNames.create(name.toLowerCase(Locale.ROOT));
        if (NAMES.size() < MAX_ENTRIES) {
            NAMES.put(name, created);
        }
        return created;
    }
}
