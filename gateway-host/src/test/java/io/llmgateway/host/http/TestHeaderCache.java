package io.llmgateway.host.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Response headers plugins set: checked every time a value is new, reused whole when it repeats.
 */
final class TestHeaderCache {

    @Test
    void aRepeatedValueReusesTheHeaderAndANewOneMakesAnother() {
        Header first = HeaderCache.responseHeader("X-Test-Repeat", "1");
        Header again = HeaderCache.responseHeader("X-Test-Repeat", "1");
        Header other = HeaderCache.responseHeader("X-Test-Repeat", "2");

        assertSame(first, again);
        assertNotSame(first, other);
        assertEquals("2", other.get());
        assertEquals(HeaderNames.create("x-test-repeat"), other.headerName());
    }

    @Test
    void anInvalidValueIsRefusedEvenAfterAValidOne() {
        HeaderCache.responseHeader("x-test-invalid", "ok");

        assertNull(HeaderCache.responseHeader("x-test-invalid", "ok\r\nset-cookie: stolen=1"));
        assertNull(HeaderCache.responseHeader("x-test-invalid", "\u0000"));
        assertEquals("ok", HeaderCache.responseHeader("x-test-invalid", "ok").get());
    }

    @Test
    void aNameThatIsNotATokenIsRefused() {
        assertNull(HeaderCache.responseHeader("x test", "ok"));
        assertNull(HeaderCache.responseHeader("x-test:", "ok"));
        assertNull(HeaderCache.responseHeader("", "ok"));
    }

    @Test
    void lookupsAreCaseInsensitive() {
        assertEquals(HeaderNames.create("x-test-case"), HeaderCache.name("X-Test-CASE"));
    }
}
