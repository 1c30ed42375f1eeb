package io.llmgateway.host.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

final class TestSecrets {

    private static final String KEY = "sk-ant-api03-Zq8xVb2NmK4pLw7RtY1uE5oI9aS3dF6gH0jJ";

    @Test
    void aSecretIsMaskedWholeOrCutShortButNotInPieces() {
        Secrets secrets = Secrets.of(List.of(KEY));

        assertThat(secrets.scrub("key " + KEY + " refused"), is("key [redacted] refused"));
        assertThat(secrets.scrub("seen as " + KEY.substring(0, 20) + "... or so"), is("seen as [redacted] or so"));
        assertThat(secrets.scrub(KEY + KEY), is("[redacted]"));
        assertThat(secrets.scrub("only sk-ant-api0 here"), is("only sk-ant-api0 here"));
        assertThat(secrets.scrub("\"" + KEY + "\""), is("\"[redacted]\""));
    }

    @Test
    void shortValuesAreNoSecretsAndTextWithoutSecretsIsUnchanged() {
        String text = "nothing to hide here, " + "x".repeat(100);

        assertThat(Secrets.of(List.of("short", "   ")), sameInstance(Secrets.NONE));
        assertThat(Secrets.of(List.of(KEY)).scrub(text), sameInstance(text));
        assertThat(Secrets.NONE.scrub(KEY), is(KEY));
    }

    @Test
    void secretsWithOtherCharactersAreMaskedWhole() {
        Secrets secrets = Secrets.of(List.of("p@ss w0rd+/=with=base64"));

        assertThat(secrets.scrub("login p@ss w0rd+/=with=base64 failed"), is("login [redacted] failed"));
    }

    @Test
    void twentyThousandKeysAreMaskedInOnePass() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            keys.add("sk-tenant-key-" + i + "-abcdefgh");
        }
        Secrets secrets = Secrets.of(keys);

        assertThat(secrets.scrub("a sk-tenant-key-19999-abcdefgh b sk-tenant-key-7-abcdefgh c"),
                   is("a [redacted] b [redacted] c"));
        String line = "{\"time\":\"2026-01-01T00:00:00Z\",\"request_id\":\"req_123\",\"model\":\"claude-sonnet\"}";
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            secrets.scrub(line);
        }
        long perLine = (System.nanoTime() - start) / 100_000;
        assertThat("one scrub of a log line took " + perLine + " ns", perLine < 20_000, is(true));
    }

    @Test
    void variablesNamedLikeSecretsGiveTheirValues() {
        List<String> values = Secrets.namedInVariables(Map.of("SOME_API_KEY", "abc", "LLM_API_KEYS", "k1:a, k2:b",
                                                              "HOME", "/home/x", "DB_PASSWORD", "pw"));

        assertThat(values, containsInAnyOrder("abc", "k1", "k2", "pw"));
    }
}
