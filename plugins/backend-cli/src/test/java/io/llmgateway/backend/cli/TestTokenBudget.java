package io.llmgateway.backend.cli;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestTokenBudget {

    @Test
    void unlimitedWithoutMaxTokens() {
        TokenBudget budget = new TokenBudget(OptionalInt.empty());

        assertEquals("x".repeat(100_000), budget.take("x".repeat(100_000)));
        assertFalse(budget.exhausted());
    }

    @Test
    void cutsAtFourCharactersPerToken() {
        TokenBudget budget = new TokenBudget(OptionalInt.of(3));

        assertEquals("Hello ", budget.take("Hello "));
        assertEquals("wonder", budget.take("wonderful world"));
        assertTrue(budget.exhausted());
        assertEquals("", budget.take("more"));
    }

    @Test
    void neverSplitsASurrogatePair() {
        TokenBudget budget = new TokenBudget(OptionalInt.of(1));

        assertEquals("abc", budget.take("abc\uD83D\uDE00"));
    }
}
