package io.llmgateway.middleware.auth;

import java.time.Instant;
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
import io.llmgateway.testing.FakeTenantKeysFile;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.TestExchange;
import io.llmgateway.testing.TestPluginContext;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestAuthMiddleware {

    @Test
    void offWithoutKeys() {
        try (TestPluginContext context = TestPluginContext.of(Map.of())) {
            assertTrue(new AuthMiddlewareProvider().create(context).isEmpty());
        }
    }

    @Test
    void aBearerKeyNamesTheTenant() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_API_KEYS", "sk-alpha:team-a, sk-beta:team-b"))) {
            Middleware auth = new AuthMiddlewareProvider().create(context).orElseThrow();

            assertEquals("team-b", call(auth, Map.of("authorization", "Bearer sk-beta")).tenant().orElseThrow());
            assertEquals("team-a", call(auth, Map.of("x-api-key", "sk-alpha")).tenant().orElseThrow());
        }
    }

    @Test
    void missingAndWrongKeysAre401WithoutTheKey() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_API_KEYS", "sk-alpha:team-a"))) {
            Middleware auth = new AuthMiddlewareProvider().create(context).orElseThrow();

            GatewayException missing = assertThrows(GatewayException.class, () -> call(auth, Map.of()));
            GatewayException wrong = assertThrows(GatewayException.class,
                                                  () -> call(auth, Map.of("authorization", "Bearer sk-alphX")));
            GatewayException notBearer = assertThrows(GatewayException.class,
                                                      () -> call(auth, Map.of("authorization", "Basic sk-alpha")));

            for (GatewayException e : List.of(missing, wrong, notBearer)) {
                assertEquals(401, e.status());
                assertEquals("invalid_api_key", e.code().orElseThrow());
                assertFalse(e.getMessage().contains("sk-"), e.getMessage());
            }
        }
    }

    @Test
    void theHostsKeysFileCountsAndItsChangesTakeEffect() {
        FakeTenantKeysFile file = FakeTenantKeysFile.of("# team keys\nsk-one:team-one rpm=60\n\nsk-two:team-two\n");
        try (TestPluginContext context = TestPluginContext.of(Map.of()).tenantKeysFile(file)) {
            Middleware auth = new AuthMiddlewareProvider().create(context).orElseThrow();
            assertEquals("team-one", call(auth, Map.of("x-api-key", "sk-one")).tenant().orElseThrow());

            file.change("sk-three:team-three\n");

            assertEquals("team-three", call(auth, Map.of("x-api-key", "sk-three")).tenant().orElseThrow());
            assertThrows(GatewayException.class, () -> call(auth, Map.of("x-api-key", "sk-one")));
        }
    }

    @Test
    void aLargeKeysFileAndInlineKeysAddUpAndTheFileWinsAKeyBothName() {
        StringBuilder lines = new StringBuilder("sk-shared:from-file\n");
        for (int i = 0; i < 20_000; i++) {
            lines.append("sk-key-").append(i).append(":team-").append(i % 100).append('\n');
        }
        FakeTenantKeysFile file = FakeTenantKeysFile.of(lines.toString());
        Map<String, String> settings = Map.of("LLM_API_KEYS", "sk-inline:inline, sk-shared:inline");
        try (TestPluginContext context = TestPluginContext.of(settings).tenantKeysFile(file)) {
            Middleware auth = new AuthMiddlewareProvider().create(context).orElseThrow();

            assertEquals("team-0", call(auth, Map.of("x-api-key", "sk-key-0")).tenant().orElseThrow());
            assertEquals("team-99", call(auth, Map.of("x-api-key", "sk-key-19999")).tenant().orElseThrow());
            assertEquals("inline", call(auth, Map.of("x-api-key", "sk-inline")).tenant().orElseThrow());
            assertEquals("from-file", call(auth, Map.of("x-api-key", "sk-shared")).tenant().orElseThrow());
            assertThrows(GatewayException.class, () -> call(auth, Map.of("x-api-key", "sk-key-20000")));

            file.change("sk-shared:from-file-again\n");

            assertEquals("from-file-again", call(auth, Map.of("x-api-key", "sk-shared")).tenant().orElseThrow());
            assertEquals("inline", call(auth, Map.of("x-api-key", "sk-inline")).tenant().orElseThrow());
        }
    }

    @Test
    void badSettingsNameTheEntryButNotTheKey() {
        try (TestPluginContext context = TestPluginContext.of(Map.of("LLM_API_KEYS", "sk-secret-only"))) {
            PluginConfigurationException e = assertThrows(PluginConfigurationException.class,
                                                          () -> new AuthMiddlewareProvider().create(context));

            assertEquals("LLM_API_KEYS entry 1 must look like key:tenant", e.getMessage());
        }
    }

    private static TestExchange call(Middleware auth, Map<String, String> headers) {
        TestExchange exchange = new TestExchange(request(), Instant.now().plusSeconds(10), headers);
        boolean[] passed = {false};
        auth.handle(exchange, new RecordingSink(), sink -> passed[0] = true);
        assertTrue(passed[0], "the call went on");
        return exchange;
    }

    private static ChatRequest request() {
        return new ChatRequest("mock", List.of(ChatMessage.of(Role.USER, "hi")), OptionalInt.empty(), OptionalDouble.empty(),
                               OptionalDouble.empty(), List.of(), false, false, Optional.empty(), OptionalLong.empty(),
                               Map.of(), JsonValue.EMPTY_JSON_OBJECT);
    }
}
