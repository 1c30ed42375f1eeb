package io.llmgateway.middleware.cache;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The canonical request: what makes two requests one entry, and what keeps them apart.
 */
final class TestCacheKey {

    private static final String BASE = "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    @Test
    void canonicalJsonSortsKeysRecursivelyDropsWhitespaceAndNormalizesNumbers() {
        JsonValue value = json("""
                { "b" : [ 1.0, 1e2, -0.0, 0.50, {"z": true, "a": null} ],
                  "a" : { "y": "text \\"quoted\\"", "x": 10 } }""");

        assertEquals("{\"a\":{\"x\":10,\"y\":\"text \\\"quoted\\\"\"},\"b\":[1,100,0,0.5,{\"a\":null,\"z\":true}]}",
                     CanonicalJson.text(value));
    }

    @Test
    void longStringsAreWrittenExactlyAcrossBufferBoundaries() {
        // runs of plain ASCII, escapes and multi-byte characters, long enough to fill the writer's buffer
        // several times with every kind of character landing on a boundary somewhere
        StringBuilder text = new StringBuilder();
        StringBuilder expected = new StringBuilder("\"");
        for (int i = 0; text.length() < 40_000; i++) {
            String plain = "x".repeat(i % 97);
            String special = switch (i % 5) {
                case 0 -> "\"";
                case 1 -> "\\";
                case 2 -> "\n";
                case 3 -> "é";
                default -> "€";
            };
            String escaped = switch (i % 5) {
                case 0 -> "\\\"";
                case 1 -> "\\\\";
                case 2 -> "\\u000a";
                default -> special;
            };
            text.append(plain).append(special);
            expected.append(plain).append(escaped);
        }
        expected.append('"');

        assertEquals(expected.toString(), CanonicalJson.text(Json.createValue(text.toString())));
    }

    @Test
    void shortAndLongStringsAreWrittenAlike() {
        // a string repeated past the writer's buffer is its short self's canonical text repeated
        for (String sample : new String[] {"plain", "é and ß", "€", "a\"b\\c", "line\nbreak", "\uD83D\uDE00",
                                           "\uD800 lone", "why?", "mixed é € \uD83D\uDE00 \""}) {
            String inner = quoted(sample);
            int copies = 5000 / sample.length() + 1;

            assertEquals("\"" + inner.repeat(copies) + "\"",
                         CanonicalJson.text(Json.createValue(sample.repeat(copies))), sample);
        }
        assertEquals("\"\\ud83d\\ude00\"", CanonicalJson.text(Json.createValue("\uD83D\uDE00")),
                     "surrogates are escaped, paired or not");
        assertEquals("\"é€\"", CanonicalJson.text(Json.createValue("é€")));
        assertEquals("\"\\ud800?\"", CanonicalJson.text(Json.createValue("\uD800?")), "a lone surrogate is not a '?'");
    }

    private static String quoted(String sample) {
        String text = CanonicalJson.text(Json.createValue(sample));
        return text.substring(1, text.length() - 1);
    }

    @Test
    void keyOrderWhitespaceAndNumberSpellingDoNotMatter() {
        CacheKey compact = key(Call.of("{\"model\":\"claude-sonnet\",\"temperature\":0.5,\"max_tokens\":100,"
                                               + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                                               + "\"response_format\":{\"type\":\"json_object\",\"strict\":true}}"));
        CacheKey spread = key(Call.of("""
                {
                  "response_format" : { "strict" : true, "type" : "json_object" },
                  "messages" : [ { "content" : "Hi", "role" : "user" } ],
                  "max_tokens" : 1e2,
                  "temperature" : 0.50,
                  "model" : "claude-sonnet"
                }"""));

        assertEquals(compact, spread);
    }

    @Test
    void fieldsThatDoNotChangeTheAnswerAreLeftOut() {
        CacheKey plain = key(Call.of(BASE + "}"));

        assertEquals(plain, key(Call.of(BASE + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}")));
        assertEquals(plain, key(Call.of(BASE + ",\"user\":\"u-17\",\"metadata\":{\"run\":\"42\"},\"store\":true,"
                                                + "\"safety_identifier\":\"s\",\"prompt_cache_key\":\"k\","
                                                + "\"prompt_cache_retention\":\"24h\"}")));
        assertEquals(plain, key(Call.of(BASE + ",\"temperature\":null,\"seed\":null}")), "an explicit null is absent");
    }

    @Test
    void everythingElseMakesADifferentKey() {
        CacheKey plain = key(Call.of(BASE + "}"));

        assertNotEquals(plain, key(Call.of(BASE + ",\"temperature\":0}")));
        assertNotEquals(key(Call.of(BASE + ",\"temperature\":0}")), key(Call.of(BASE + ",\"temperature\":0.7}")));
        assertNotEquals(plain, key(Call.of(BASE + ",\"seed\":1}")));
        assertNotEquals(plain, key(Call.of(BASE + ",\"max_tokens\":5}")));
        assertNotEquals(plain, key(Call.of(BASE + ",\"tools\":[]}")));
        assertNotEquals(plain, key(Call.asking("claude-sonnet", "Hi!")));
        assertNotEquals(plain, key(Call.asking("claude-opus", "Hi")));
        assertNotEquals(plain, key(Call.of(BASE + "}").backend("api")));
        assertNotEquals(plain, key(Call.of(BASE + "}").tenant("team-a")));
        assertNotEquals(key(Call.of(BASE + "}").tenant("team-a")), key(Call.of(BASE + "}").tenant("team-b")));
        assertNotEquals(plain, key(Call.of(BASE + "}").tenant("none")), "no tenant is not a tenant named none");
        assertNotEquals(key(Call.of(BASE + ",\"x\":\"a\\\"b\"}")), key(Call.of(BASE + ",\"x\":\"a\\\\\\\"b\"}")));
    }

    @Test
    void loneSurrogatesDoNotCollide() {
        assertNotEquals(key(Call.asking("claude-sonnet", "\\ud800")), key(Call.asking("claude-sonnet", "\\ud801")));
        assertNotEquals(key(Call.asking("claude-sonnet", "\\ud800")), key(Call.asking("claude-sonnet", "?")));
    }

    @Test
    void sharedKeysIgnoreTheTenant() {
        Call a = Call.of(BASE + "}").tenant("team-a");
        Call b = Call.of(BASE + "}").tenant("team-b");

        assertEquals(CacheKey.of(a.exchange(), true), CacheKey.of(b.exchange(), true));
        assertEquals(CacheKey.of(a.exchange(), true), CacheKey.of(Call.of(BASE + "}").exchange(), true));
        assertNotEquals(CacheKey.of(a.exchange(), true), CacheKey.of(a.exchange(), false));
    }

    @Test
    void hugeNumbersAreKeptAsGiven() {
        String digits = "1" + "0".repeat(400);

        assertNotEquals(key(Call.of(BASE + ",\"x\":" + digits + "}")), key(Call.of(BASE + ",\"x\":" + digits + "1}")));
        assertEquals(key(Call.of(BASE + ",\"x\":" + digits + "}")), key(Call.of(BASE + ",\"x\":" + digits + "}")));
    }

    @Test
    void aKeyIsASha256() {
        CacheKey key = key(Call.of(BASE + "}"));
        assertEquals(64, key.hash().length());
        assertEquals(key.hash(), key.relayed(CacheKey.Mode.STREAM).hash());
        assertNotEquals(key, key.relayed(CacheKey.Mode.JSON), "relayed answers are kept apart from rendered ones");
        assertNotEquals(key.relayed(CacheKey.Mode.STREAM), key.relayed(CacheKey.Mode.STREAM_WITH_USAGE));
        assertEquals(key, key.relayed(CacheKey.Mode.JSON).rendered());
    }

    private static CacheKey key(Call call) {
        return CacheKey.of(call.exchange(), false);
    }

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }
}
