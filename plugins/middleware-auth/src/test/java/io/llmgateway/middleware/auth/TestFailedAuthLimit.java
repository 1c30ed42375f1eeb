package io.llmgateway.middleware.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.Role;
import io.llmgateway.testing.ManualClock;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.TestExchange;
import io.llmgateway.testing.TestPluginContext;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failed authentications limited per client address: a burst, then one a refill; refused calls are 429s
 * whose key is never looked at; a success buys nothing back; memory stays bounded.
 */
final class TestFailedAuthLimit {

    private static final String GOOD = "sk-good-key";

    private final ManualClock clock = new ManualClock();

    @Test
    void aBurstOfFailuresThenOneARefill() {
        try (TestPluginContext context = context(Map.of("LLM_AUTH_FAILURE_BURST", "3", "LLM_AUTH_FAILURE_REFILL", "2"))) {
            Middleware auth = auth(context);
            for (int i = 0; i < 3; i++) {
                assertEquals(401, call(auth, "10.0.0.1", "sk-guess-" + i).status());
            }

            GatewayException refused = call(auth, "10.0.0.1", "sk-guess-3");
            assertEquals(429, refused.status());
            assertEquals("rate_limit_exceeded", refused.code().orElseThrow());
            assertEquals(Duration.ofSeconds(2), refused.retryAfter().orElseThrow());
            assertEquals("Too many failed authentications from this address; try again in 2 s", refused.getMessage());

            clock.advance(Duration.ofSeconds(2));
            assertEquals(401, call(auth, "10.0.0.1", "sk-guess-4").status(), "one more guess after a refill");
            assertEquals(429, call(auth, "10.0.0.1", "sk-guess-5").status());
            assertEquals(4, context.counter("llm_auth_failures_total"));
            assertEquals(2, context.counter("llm_auth_refusals_total"));
        }
    }

    @Test
    void aLimitedAddressIsRefusedEvenWithAValidKeyWhileAnotherAddressIsNot() {
        try (TestPluginContext context = context(Map.of())) {
            Middleware auth = auth(context);
            for (int i = 0; i < 20; i++) {
                call(auth, "10.0.0.1", "sk-guess-" + i);
            }

            assertEquals(429, call(auth, "10.0.0.1", GOOD).status(), "the key is not even looked at");
            assertEquals("team", pass(auth, "10.0.0.2", GOOD).tenant().orElseThrow());
            assertEquals(401, call(auth, "10.0.0.2", "sk-wrong").status(), "its own budget");
        }
    }

    @Test
    void aSuccessDoesNotGiveTheBudgetBack() {
        try (TestPluginContext context = context(Map.of("LLM_AUTH_FAILURE_BURST", "4"))) {
            Middleware auth = auth(context);
            call(auth, "10.0.0.1", "sk-guess-1");
            call(auth, "10.0.0.1", "sk-guess-2");
            pass(auth, "10.0.0.1", GOOD);
            call(auth, "10.0.0.1", "sk-guess-3");
            pass(auth, "10.0.0.1", GOOD);
            call(auth, "10.0.0.1", "sk-guess-4");

            assertEquals(429, call(auth, "10.0.0.1", "sk-guess-5").status(), "four guesses, however many successes");
        }
    }

    @Test
    void aMissingKeyCountsAsAFailure() {
        try (TestPluginContext context = context(Map.of("LLM_AUTH_FAILURE_BURST", "1"))) {
            Middleware auth = auth(context);
            TestExchange keyless = exchange("10.0.0.1", Map.of());

            assertEquals(401, assertThrows(GatewayException.class, () -> auth.handle(keyless, new RecordingSink(), sink -> { }))
                    .status());
            assertEquals(429, call(auth, "10.0.0.1", GOOD).status());
        }
    }

    @Test
    void addressesAreForgottenOnceTheirBudgetIsWholeAgain() {
        try (TestPluginContext context = context(Map.of("LLM_AUTH_FAILURE_BURST", "2", "LLM_AUTH_FAILURE_REFILL", "1"))) {
            Middleware auth = auth(context);
            call(auth, "10.0.0.1", "sk-guess-1");
            call(auth, "10.0.0.1", "sk-guess-2");
            call(auth, "10.0.0.2", "sk-guess-1");
            assertEquals(2, context.gauge("llm_auth_failing_addresses"));

            // full again after 2 s; Caffeine's timer wheel lets go of entries about a second late
            clock.advance(Duration.ofSeconds(4));

            assertEquals(0, context.gauge("llm_auth_failing_addresses"));
            assertEquals(401, call(auth, "10.0.0.1", "sk-guess-3").status(), "back with its whole budget");
            assertEquals(401, call(auth, "10.0.0.1", "sk-guess-4").status());
            assertEquals(429, call(auth, "10.0.0.1", "sk-guess-5").status());
        }
    }

    @Test
    void aBurstOfZeroTurnsTheLimitOff() {
        try (TestPluginContext context = context(Map.of("LLM_AUTH_FAILURE_BURST", "0"))) {
            Middleware auth = auth(context);
            for (int i = 0; i < 100; i++) {
                assertEquals(401, call(auth, "10.0.0.1", "sk-guess-" + i).status());
            }
            assertEquals(0, context.gauge("llm_auth_failing_addresses"));
        }
    }

    @Test
    void aZeroRefillIsRefusedAtStartUp() {
        try (TestPluginContext context = context(Map.of("LLM_AUTH_FAILURE_REFILL", "0"))) {
            PluginConfigurationException e = assertThrows(PluginConfigurationException.class, () -> auth(context));

            assertTrue(e.getMessage().startsWith("LLM_AUTH_FAILURE_REFILL"), e.getMessage());
        }
    }

    @Test
    void neitherTheRefusalNorThe401EchoesThePresentedKey() {
        try (TestPluginContext context = context(Map.of("LLM_AUTH_FAILURE_BURST", "1"))) {
            Middleware auth = auth(context);
            String guess = "sk-guessed-secret-123";

            GatewayException wrong = call(auth, "10.0.0.1", guess);
            GatewayException refused = call(auth, "10.0.0.1", guess);

            for (GatewayException e : List.of(wrong, refused)) {
                assertFalse(e.getMessage().contains(guess) || e.getMessage().contains("secret"), e.getMessage());
            }
            assertTrue(context.logged().stream().noneMatch(line -> line.contains("secret")), context.logged()::toString);
        }
    }

    private TestPluginContext context(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("LLM_API_KEYS", GOOD + ":team");
        return TestPluginContext.of(all, clock);
    }

    private static Middleware auth(TestPluginContext context) {
        return new AuthMiddlewareProvider().create(context).orElseThrow();
    }

    /** A call expected to be refused. */
    private static GatewayException call(Middleware auth, String address, String key) {
        TestExchange exchange = exchange(address, Map.of("authorization", "Bearer " + key));
        return assertThrows(GatewayException.class, () -> auth.handle(exchange, new RecordingSink(), sink -> { }));
    }

    /** A call expected to go through. */
    private static TestExchange pass(Middleware auth, String address, String key) {
        TestExchange exchange = exchange(address, Map.of("authorization", "Bearer " + key));
        boolean[] passed = {false};
        auth.handle(exchange, new RecordingSink(), sink -> passed[0] = true);
        assertTrue(passed[0], "the call went on");
        return exchange;
    }

    private static TestExchange exchange(String address, Map<String, String> headers) {
        ChatRequest request = new ChatRequest("mock", List.of(ChatMessage.of(Role.USER, "hi")), OptionalInt.empty(),
                                              OptionalDouble.empty(), OptionalDouble.empty(), List.of(), false, false,
                                              Optional.empty(), OptionalLong.empty(), Map.of(), JsonValue.EMPTY_JSON_OBJECT);
        return new TestExchange(request, Instant.now().plusSeconds(10), headers).clientAddress(address);
    }
}
