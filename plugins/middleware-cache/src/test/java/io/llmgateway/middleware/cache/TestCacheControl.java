package io.llmgateway.middleware.cache;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reading the request's {@code Cache-Control}: only {@code no-cache} and {@code no-store} count, in any
 * case, with any spacing and among other directives.
 */
final class TestCacheControl {

    @Test
    void directivesAreFoundAmongOthersInAnyCaseAndSpacing() {
        assertEquals(new CacheControl(true, false), of("no-cache"));
        assertEquals(new CacheControl(false, true), of("No-Store"));
        assertEquals(new CacheControl(true, true), of("  no-cache ,\tNO-STORE  "));
        assertEquals(new CacheControl(true, false), of("max-age=0, no-cache"));
        assertEquals(new CacheControl(true, true), of("no-cache=\"set-cookie\",no-store"));
    }

    @Test
    void anythingElseIsIgnored() {
        assertEquals(new CacheControl(false, false), of(null));
        assertEquals(new CacheControl(false, false), of(""));
        assertEquals(new CacheControl(false, false), of(",, ,"));
        assertEquals(new CacheControl(false, false), of("no-cachex, xno-store, max-age=no-cache, no cache"));
        assertEquals(new CacheControl(false, false), of("private=no-store"));
    }

    private static CacheControl of(String header) {
        return CacheControl.of(Optional.ofNullable(header));
    }
}
