package io.llmgateway.host.http;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;

/**
 * Helidon header names for the names plugins use, made once, and for each name the last response header
 * a plugin set with it. Middleware set half a dozen headers on every answer, most with the value of the
 * answer before (a limit, {@code x-cache: HIT}): such a header is then reused as it is, its value already
 * checked and its HTTP/1 line already written out, rather than checked, made and written again.
 */
public final class HeaderCache {

    /** Plugins use a handful of names; a misbehaving one must not grow this without bound. */
    private static final int MAX_ENTRIES = 1024;
    private static final Map<String, Name> NAMES = new ConcurrentHashMap<>();

    private HeaderCache() {
    }

    /**
     * The header name, case-insensitively.
     *
     * @param name the name as a plugin spells it
     * @return Helidon's header name
     */
    public static HeaderName name(String name) {
        Name cached = NAMES.get(name);
        return cached != null ? cached.name : create(name, HeaderSyntax.isToken(name)).name;
    }

    /**
     * A response header a plugin sets, checked: the name must be an HTTP token and the value free of
     * control characters.
     *
     * @param name  the name as a plugin spells it
     * @param value the value
     * @return the header, or null when the name or the value is not valid
     */
    public static Header responseHeader(String name, String value) {
        Name cached = NAMES.get(name);
        if (cached == null) {
            if (!HeaderSyntax.isToken(name)) {
                return null;
            }
            cached = create(name, true);
        }
        Header last = cached.lastResponseHeader;
        if (last != null && last.get().equals(value)) {
            return last;
        }
        if (!HeaderSyntax.isValue(value)) {
            return null;
        }
        Header header = HeaderValues.createCached(cached.name, value);
        cached.lastResponseHeader = header;
        return header;
    }

    private static Name create(String name, boolean token) {
        Name created = new Name(HeaderNames.create(name.toLowerCase(Locale.ROOT)));
        // a name that is not a token (a lookup may use any) is never kept, so every kept name is a valid one
        if (token && NAMES.size() < MAX_ENTRIES) {
            Name raced = NAMES.putIfAbsent(name, created);
            return raced != null ? raced : created;
        }
        return created;
    }

    /** A name and the last response header made with it (immutable, so any thread may reuse it). */
    private static final class Name {
        private final HeaderName name;
        private volatile Header lastResponseHeader;

        private Name(HeaderName name) {
            this.name = name;
        }
    }
}
