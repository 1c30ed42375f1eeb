package io.llmgateway.backend.cli;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestStopMatcher {

    @Test
    void withoutStopsTextPassesAtOnce() {
        StopMatcher matcher = new StopMatcher(List.of());

        assertEquals("Hello", matcher.accept("Hello"));
        assertEquals("", matcher.flush());
    }

    @Test
    void cutsAtAStopSequenceSpanningDeltas() {
        StopMatcher matcher = new StopMatcher(List.of("END"));

        assertEquals("one two ", matcher.accept("one two E"));
        assertEquals("", matcher.accept("N"));
        assertEquals("", matcher.accept("D three"));
        assertTrue(matcher.matched());
        assertEquals("", matcher.accept("more"));
        assertEquals("", matcher.flush());
    }

    @Test
    void holdsBackOnlyWhatCouldStartAStop() {
        StopMatcher matcher = new StopMatcher(List.of("\n\n", "STOP"));

        assertEquals("abc", matcher.accept("abc\n"));
        assertEquals("\nx ", matcher.accept("x S"));
        assertFalse(matcher.matched());
        assertEquals("S", matcher.flush());
    }

    @Test
    void releasesAHeldTailThatDidNotBecomeAStop() {
        StopMatcher matcher = new StopMatcher(List.of("STOP"));

        assertEquals("go ", matcher.accept("go ST"));
        assertEquals("STAR", matcher.accept("AR"));
        assertEquals("", matcher.accept("ST"));
        assertEquals("ST", matcher.flush());
    }

    @Test
    void theEarliestOfSeveralStopsWins() {
        StopMatcher matcher = new StopMatcher(List.of("beta", "alpha"));

        assertEquals("x ", matcher.accept("x alpha beta"));
        assertTrue(matcher.matched());
    }
}
