package io.llmgateway.api;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class TestTenantKeys {

    @Test
    void linesAndCommasCommentsAndAttributes() {
        TenantKeys keys = TenantKeys.parse("""
                # the team's keys
                sk-a:alice rpm=60 tpm=1000   # alice is limited
                sk-b:bob, sk-c:carol

                key:with:colons:dave
                """);

        assertEquals(List.of("alice", "bob", "carol", "dave"), keys.entries().stream().map(TenantKeys.Entry::tenant).toList());
        assertEquals(Map.of("rpm", "60", "tpm", "1000"), keys.entries().getFirst().attributes());
        assertEquals("key:with:colons", keys.entries().getLast().key());
    }

    @Test
    void errorsNameTheEntryNeverTheKey() {
        assertEquals("entry 2 must look like key:tenant", message("sk-a:alice\nsk-secret-b"));
        assertEquals("entry 1: a tenant name is 1 to 64 letters, digits, '.', '_' or '-'", message("sk-a:al/ice"));
        assertEquals("entry 2 repeats a key", message("sk-a:alice,sk-a:bob"));
        assertEquals("entry 1: 'sixty' after key:tenant must look like name=value", message("sk-a:alice sixty"));
    }

    @Test
    void anotherListsKeysWin() {
        TenantKeys joined = TenantKeys.parse("sk-a:alice,sk-b:bob").and(TenantKeys.parse("sk-b:robert"));

        assertEquals(List.of("alice", "robert"), joined.entries().stream().map(TenantKeys.Entry::tenant).toList());
    }

    @Test
    void printingNeverShowsAKey() {
        TenantKeys keys = TenantKeys.parse("sk-very-secret:alice");

        assertFalse(keys.toString().contains("sk-very-secret"));
        assertFalse(keys.entries().getFirst().toString().contains("sk-very-secret"));
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> TenantKeys.parse(text)).getMessage();
    }
}
