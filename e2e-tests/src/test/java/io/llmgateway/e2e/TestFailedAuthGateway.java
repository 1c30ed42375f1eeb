package io.llmgateway.e2e;

import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key guessing through the built distribution (the auth plugin and its Caffeine in their own module layer):
 * after the burst of failures an address is refused with a 429 and {@code Retry-After}, a valid key
 * included, and the refusals are counted.
 */
final class TestFailedAuthGateway {

    @Test
    void guessingIsCutOffAfterTheBurst() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start("failed-auth", Map.of(
                "LLM_API_KEYS", "sk-valid-key:team", "LLM_AUTH_FAILURE_BURST", "5", "LLM_AUTH_FAILURE_REFILL", "60"))) {
            ChatCompletionCreateParams ask = Chat.ask("mock", "let me in");
            for (int i = 0; i < 5; i++) {
                OpenAIClient guesser = as(gateway, "sk-guess-" + i);
                assertEquals(401, assertThrows(UnauthorizedException.class, () -> guesser.chat().completions().create(ask))
                        .statusCode());
            }

            RateLimitException refused = assertThrows(RateLimitException.class,
                                                      () -> as(gateway, "sk-valid-key").chat().completions().create(ask));
            assertEquals(429, refused.statusCode());
            assertTrue(refused.headers().values("retry-after").contains("60"), refused.headers().toString());
            String metrics = new String(gateway.uri("/metrics").toURL().openStream().readAllBytes());
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith("llm_auth_refusals_total") && line.endsWith(" 1.0")),
                       metrics);
        }
    }

    private static OpenAIClient as(GatewayProcess gateway, String apiKey) {
        return gateway.client().withOptions(options -> options.apiKey(apiKey));
    }
}
