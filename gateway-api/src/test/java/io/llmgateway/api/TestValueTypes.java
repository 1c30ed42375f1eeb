package io.llmgateway.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestValueTypes {

    @Test
    void stringsKeepTheirSpaces() {
        assertEquals(" You said: ", ValueTypes.string().parse(" You said: "));
        assertTrue(ValueTypes.secret().secret());
    }

    @Test
    void integersStayInTheirRange() {
        ValueType<Integer> type = ValueTypes.integer(0, 64);

        assertEquals(7, type.parse(" 7 "));
        assertEquals("0..64", type.range());
        assertEquals("must be an integer from 0 to 64", message(type, "65"));
        assertEquals("must be an integer from 0 to 64", message(type, "seven"));
        assertEquals("must be an integer of at least 1", message(ValueTypes.integer(1, Integer.MAX_VALUE), "0"));
        assertEquals(">= 1", ValueTypes.integer(1, Integer.MAX_VALUE).range());
    }

    @Test
    void bytesTakeBinarySuffixes() {
        ValueType<Long> type = ValueTypes.bytes(4096, Long.MAX_VALUE);

        assertEquals(1_048_576L, type.parse("1048576"));
        assertEquals(512L * 1024, type.parse("512k"));
        assertEquals(64L << 20, type.parse("64M"));
        assertEquals(2L << 30, type.parse("2 gib"));
        assertEquals("64m", type.format(64L << 20));
        assertEquals("1000", type.format(1000L));
        assertEquals(">= 4k", type.range());
        assertEquals("must be a number of bytes of at least 4k", message(type, "1k"));
        assertTrue(message(type, "lots").startsWith("must be a number of bytes, optionally with k, m or g"));
        assertTrue(message(type, "99999999999g").startsWith("must be a number of bytes"));
    }

    @Test
    void durationsTakeUnitsAndBareSecondsAsBefore() {
        ValueType<Duration> type = ValueTypes.duration();

        assertEquals(Duration.ofSeconds(30), type.parse("30s"));
        assertEquals(Duration.ofMillis(500), type.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), type.parse("2m"));
        assertEquals(Duration.ofHours(1), type.parse("1h"));
        assertEquals(Duration.ofSeconds(60), type.parse("60"));
        assertEquals(Duration.ofMillis(500), type.parse("0.5"));
        assertEquals(Duration.ZERO, type.parse("0"));
        assertEquals("5m", type.format(Duration.ofSeconds(300)));
        assertEquals("90s", type.format(Duration.ofSeconds(90)));
        assertEquals("1500ms", type.format(Duration.ofMillis(1500)));
        assertEquals("0s", type.format(Duration.ZERO));
        assertTrue(message(type, "-1").startsWith("must be a duration such as 30s"));
        assertTrue(message(type, "soon").contains("a bare number is seconds"));
        assertEquals("must be a duration above 0", message(ValueTypes.positiveDuration(), "0"));
        assertEquals(Duration.ofNanos(1), ValueTypes.positiveDuration().parse("0.000000001"));
    }

    @Test
    void booleansAcceptTheUsualWords() {
        for (String yes : List.of("true", "1", "YES", "on")) {
            assertEquals(true, ValueTypes.bool().parse(yes));
        }
        for (String no : List.of("false", "0", "no", "Off")) {
            assertEquals(false, ValueTypes.bool().parse(no));
        }
        assertEquals("must be true or false", message(ValueTypes.bool(), "maybe"));
    }

    enum Mode { AUTO, NATIVE, TOOL }

    @Test
    void enumsAreWrittenInLowerCase() {
        ValueType<Mode> type = ValueTypes.oneOf(Mode.class);

        assertEquals(Mode.NATIVE, type.parse(" Native "));
        assertEquals("tool", type.format(Mode.TOOL));
        assertEquals("auto, native, tool", type.range());
        assertEquals("must be auto, native or tool", message(type, "both"));
    }

    @Test
    void listsSplitOnCommasAndNameTheBadEntry() {
        ValueType<List<Integer>> type = ValueTypes.list(ValueTypes.integer(1, 9));

        assertEquals(List.of(1, 2, 3), type.parse(" 1, 2,,3 ,"));
        assertEquals(List.of(), type.parse(","));
        assertEquals("entry 2 must be an integer from 1 to 9", message(type, "1, 10"));
        assertEquals("list of integer", type.typeName());
    }

    @Test
    void pairsKeepTheirOrder() {
        assertEquals(List.of("b", "a"), List.copyOf(ValueTypes.pairs().parse("b=2, a = 1").keySet()));
        assertEquals(Map.of("x", "x", "y", "z"), ValueTypes.pairsOrNames().parse("x,y=z"));
        assertEquals("must be name=value pairs separated by commas", message(ValueTypes.pairs(), "x"));
        assertEquals("has an empty name or value", message(ValueTypes.pairs(), "x="));
        assertEquals("a=1,b=2", ValueTypes.pairs().format(ValueTypes.pairs().parse("a=1,b=2")));
    }

    @Test
    void urlsAreAbsoluteHttpWithoutTrailingSlashes() {
        assertEquals(URI.create("https://api.anthropic.com"), ValueTypes.url().parse("https://api.anthropic.com//"));
        assertEquals(URI.create("http://vllm:8000/base"), ValueTypes.url().parse(" http://vllm:8000/base/ "));
        for (String bad : List.of("api.anthropic.com", "ftp://host", "http://", "http://exa mple.com")) {
            assertEquals("must be an absolute http(s) URL", message(ValueTypes.url(), bad), bad);
        }
    }

    @Test
    void pathsAndArguments() {
        assertEquals(Path.of("/tmp/x"), ValueTypes.path().parse(" /tmp/x "));
        assertEquals(List.of("--flag", "two words", "it's"), ValueTypes.arguments().parse("--flag 'two words' \"it's\""));
        assertEquals("must close every quote it opens", message(ValueTypes.arguments(), "'open"));
        assertEquals("--a 'b c'", ValueTypes.arguments().format(List.of("--a", "b c")));
    }

    @Test
    void tenantKeysAreSecretsKeyByKey() {
        ValueType<TenantKeys> type = ValueTypes.tenantKeys();
        TenantKeys keys = type.parse("sk-one:alice,sk-two:bob");

        assertTrue(type.secret());
        assertEquals(List.of("sk-one", "sk-two"), type.secretsIn(keys));
        assertEquals("entry 1 must look like key:tenant", message(type, "sk-one"));
    }

    private static String message(ValueType<?> type, String text) {
        return assertThrows(IllegalArgumentException.class, () -> type.parse(text)).getMessage();
    }
}
