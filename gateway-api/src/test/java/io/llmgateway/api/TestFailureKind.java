package io.llmgateway.api;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a failure means for the router when the backend says nothing more than the status. */
class TestFailureKind {

    @Test
    void theStatusDecidesWhenNoKindWasSet() {
        assertEquals(FailureKind.RATE_LIMITED, GatewayException.rateLimited("x", "requests", Duration.ZERO).failureKind());
        assertEquals(FailureKind.OVERLOADED, GatewayException.unavailable("x", Optional.empty()).failureKind());
        assertEquals(FailureKind.TIMEOUT, GatewayException.timeout("x").failureKind());
        assertEquals(FailureKind.SERVER, GatewayException.badGateway("x").failureKind());
        assertEquals(FailureKind.INVALID_REQUEST, GatewayException.invalidRequest("x").failureKind());
        assertEquals(FailureKind.CONTEXT_WINDOW, new GatewayException(400, "invalid_request_error",
                                                                      Optional.of("context_length_exceeded"),
                                                                      Optional.empty(), "x").failureKind());
    }

    @Test
    void aKindSetByTheBackendWinsAndSurvivesCopies() {
        GatewayException broken = GatewayException.badGateway("our key was refused")
                .withFailureKind(FailureKind.DEPLOYMENT_BROKEN)
                .withRetryAfter(Duration.ofSeconds(3));
        assertEquals(FailureKind.DEPLOYMENT_BROKEN, broken.failureKind());
        assertEquals(502, broken.status());
    }

    @Test
    void onlyPassingFaultsAreRetriedAndOnlyTheDeploymentsCountAgainstIt() {
        assertTrue(FailureKind.OVERLOADED.transientFailure());
        assertFalse(FailureKind.QUOTA_EXHAUSTED.transientFailure());
        assertTrue(FailureKind.QUOTA_EXHAUSTED.blamesDeployment());
        assertFalse(FailureKind.CONTEXT_WINDOW.blamesDeployment());
        assertFalse(FailureKind.CONTENT_POLICY.blamesDeployment());
        assertFalse(FailureKind.CLIENT.transientFailure());
    }
}
