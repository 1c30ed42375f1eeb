package io.llmgateway.testkit;

/**
 * What {@link BackendContract} asks the backend under test to do on its next call. A test's
 * {@link BackendContract#backendFor} sets the backend (or its fake upstream) up for one scenario, or declines
 * one it cannot produce, and the tests of that scenario are skipped.
 */
public enum BackendScenario {
    /** Answer with some text, in more than one delta if it can, and finish normally. */
    ANSWERS,
    /** Fail, as an unusable upstream would (an error status, an error result), before emitting anything. */
    FAILS_BEFORE_FIRST_DELTA,
    /** Emit at least one delta of a streamed answer, then fail (a stream cut, a crashed process). */
    FAILS_AFTER_FIRST_DELTA,
    /** Produce nothing at all, for as long as the call lets it (an upstream that hangs). */
    HANGS
}
