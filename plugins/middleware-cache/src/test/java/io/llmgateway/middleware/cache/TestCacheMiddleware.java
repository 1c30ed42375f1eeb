package io.llmgateway.middleware.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.testing.ManualClock;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.TestExchange;
import io.llmgateway.testing.TestPluginContext;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache through its SPI: created by its provider from configuration, called as the host calls
 * middleware, with a fake backend at the end of the chain.
 */
final class TestCacheMiddleware {

    private static final String STREAMED = "{\"model\":\"claude-sonnet\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Count to three\"}]}";
    private static final String WHOLE = "{\"model\":\"claude-sonnet\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Count to three\"}]}";

    private final FakeBackend backend = new FakeBackend();
    private final List<TestPluginContext> contexts = new ArrayList<>();

    @AfterEach
    void close() {
        contexts.forEach(TestPluginContext::close);
    }

    @Test
    void missThenHit() {
        Middleware cache = cache();

        Call.Result first = Call.asking("claude-sonnet", "Hello").through(cache, backend);
        Call.Result second = Call.asking("claude-sonnet", "Hello").through(cache, backend);

        assertEquals(1, backend.calls());
        assertEquals("MISS", first.xCache());
        assertEquals("miss", first.logged());
        assertEquals("HIT", second.xCache());
        assertEquals("hit", second.logged());
        assertEquals("answer 1 to Hello", second.text());
        assertEquals(Recorder.compact(first.deltas()), second.deltas());
    }

    @Test
    void streamedMissThenHit() {
        Middleware cache = cache();

        Call.Result first = Call.of(STREAMED).through(cache, backend);
        Call.Result second = Call.of(STREAMED).through(cache, backend);

        assertEquals(1, backend.calls());
        assertEquals("MISS", first.xCache());
        assertEquals("HIT", second.xCache());
        assertEquals(first.text(), second.text());
        assertEquals(Recorder.compact(first.deltas()), second.deltas());
        assertEquals(3, second.deltas().size(), "the text in one delta, then finish and usage");
    }

    @Test
    void anAnswerTheHostRendersServesBothModes() {
        Middleware cache = cache();

        Call.Result streamed = Call.of(STREAMED).through(cache, backend);
        Call.Result whole = Call.of(WHOLE).through(cache, backend);

        assertEquals(1, backend.calls());
        assertEquals("HIT", whole.xCache());
        assertEquals(Recorder.compact(streamed.deltas()), whole.deltas());
    }

    @Test
    void deltasAreReplayedCompacted() {
        List<ChatDelta> answer = List.of(
                new ChatDelta.Text("Let me check. "),
                new ChatDelta.ToolCallFragment(0, Optional.of("call_1"), Optional.of("weather"), ""),
                new ChatDelta.ToolCallFragment(0, Optional.empty(), Optional.empty(), "{\"city\":"),
                new ChatDelta.ToolCallFragment(0, Optional.empty(), Optional.empty(), "\"Oslo\"}"),
                new ChatDelta.ToolCallFragment(1, Optional.of("call_2"), Optional.of("time"), "{}"),
                new ChatDelta.Finish(FinishReason.TOOL_CALLS),
                new ChatDelta.Usage(new TokenUsage(120, 31, 64)));
        backend.script(exchange -> answer);
        Middleware cache = cache();

        Call.of(STREAMED).through(cache, backend);
        Call.Result hit = Call.of(STREAMED).through(cache, backend);

        assertEquals("HIT", hit.xCache());
        assertEquals(List.of(new ChatDelta.Text("Let me check. "),
                             new ChatDelta.ToolCallFragment(0, Optional.of("call_1"), Optional.of("weather"),
                                                            "{\"city\":\"Oslo\"}"),
                             new ChatDelta.ToolCallFragment(1, Optional.of("call_2"), Optional.of("time"), "{}"),
                             new ChatDelta.Finish(FinishReason.TOOL_CALLS),
                             new ChatDelta.Usage(new TokenUsage(120, 31, 64))),
                     hit.deltas(), "runs of text and of one call's fragments are joined");
    }

    @Test
    void theHeaderIsSetBeforeTheFirstDelta() {
        Middleware cache = cache();
        for (String expected : List.of("MISS", "HIT")) {
            Call call = Call.asking("claude-sonnet", "Hello");
            TestExchange exchange = call.exchange();
            List<String> seen = new ArrayList<>();
            RecordingSink sink = new RecordingSink(delta -> seen.add(exchange.responseHeaders().get("x-cache")));

            cache.handle(exchange, sink, backend.chain(exchange));

            assertFalse(seen.isEmpty());
            assertTrue(seen.stream().allMatch(expected::equals), seen.toString());
        }
    }

    @Test
    void differentRequestsAreDifferentEntries() {
        Middleware cache = cache();
        List<Call> calls = List.of(
                Call.asking("claude-sonnet", "Hello"),
                Call.asking("claude-opus", "Hello"),
                Call.asking("claude-sonnet", "Hello").tenant("team-a"),
                Call.asking("claude-sonnet", "Hello").tenant("team-b"),
                Call.asking("claude-sonnet", "Hello").backend("api"),
                Call.of("{\"model\":\"claude-sonnet\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"),
                Call.of("{\"model\":\"claude-sonnet\",\"temperature\":0.7,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));

        for (Call call : calls) {
            assertEquals("MISS", call.through(cache, backend).xCache());
        }
        for (Call call : calls) {
            assertEquals("HIT", call.through(cache, backend).xCache());
        }
        assertEquals(calls.size(), backend.calls());
    }

    @Test
    void sharedModeServesEveryTenantTheSameEntry() {
        Middleware cache = cache(CacheSettings.SHARED, "true");

        Call.Result teamA = Call.asking("claude-sonnet", "Hello").tenant("team-a").through(cache, backend);
        Call.Result teamB = Call.asking("claude-sonnet", "Hello").tenant("team-b").through(cache, backend);
        Call.Result noTenant = Call.asking("claude-sonnet", "Hello").through(cache, backend);

        assertEquals("MISS", teamA.xCache());
        assertEquals("HIT", teamB.xCache());
        assertEquals("HIT", noTenant.xCache());
        assertEquals(1, backend.calls());
    }

    @Test
    void noCacheSkipsTheLookupButRefreshesTheEntry() {
        Middleware cache = cache();
        Call.asking("claude-sonnet", "Hello").through(cache, backend);

        Call.Result refreshed = Call.asking("claude-sonnet", "Hello").header("cache-control", "No-Cache")
                .through(cache, backend);
        Call.Result after = Call.asking("claude-sonnet", "Hello").through(cache, backend);

        assertEquals("BYPASS", refreshed.xCache());
        assertEquals("bypass", refreshed.logged());
        assertEquals("answer 2 to Hello", refreshed.text());
        assertEquals("HIT", after.xCache());
        assertEquals("answer 2 to Hello", after.text());
        assertEquals(2, backend.calls());
    }

    @Test
    void noStoreIsServedFromTheCacheButNeverFillsIt() {
        Middleware cache = cache();

        Call.Result notKept = Call.asking("claude-sonnet", "Hello").header("cache-control", "no-store")
                .through(cache, backend);
        Call.Result stillMissing = Call.asking("claude-sonnet", "Hello").through(cache, backend);
        Call.Result servedToNoStore = Call.asking("claude-sonnet", "Hello").header("cache-control", "max-age=0, no-store")
                .through(cache, backend);

        assertEquals("MISS", notKept.xCache());
        assertEquals("MISS", stillMissing.xCache());
        assertEquals("HIT", servedToNoStore.xCache());
        assertEquals(2, backend.calls());
    }

    @Test
    void noCacheAndNoStoreTogetherLeaveTheCacheAlone() {
        Middleware cache = cache();
        Call.asking("claude-sonnet", "Hello").through(cache, backend);

        Call.Result bypassed = Call.asking("claude-sonnet", "Hello").header("cache-control", "no-cache, no-store")
                .through(cache, backend);
        Call.Result after = Call.asking("claude-sonnet", "Hello").through(cache, backend);

        assertEquals("BYPASS", bypassed.xCache());
        assertEquals("answer 2 to Hello", bypassed.text());
        assertEquals("answer 1 to Hello", after.text(), "the stored answer was not replaced");
    }

    @Test
    void entriesExpireAfterTheTtl() {
        TestPluginContext context = context(Map.of(CacheSettings.TTL, "60"));
        Middleware cache = new CacheMiddlewareProvider().create(context).orElseThrow();
        Call.asking("claude-sonnet", "Hello").through(cache, backend);

        ((ManualClock) context.clock()).advance(Duration.ofSeconds(60).minusMillis(1));
        Call.Result justBefore = Call.asking("claude-sonnet", "Hello").through(cache, backend);
        ((ManualClock) context.clock()).advance(Duration.ofMillis(1));
        Call.Result expired = Call.asking("claude-sonnet", "Hello").through(cache, backend);
        Call.Result refilled = Call.asking("claude-sonnet", "Hello").through(cache, backend);

        assertEquals("HIT", justBefore.xCache());
        assertEquals("MISS", expired.xCache());
        assertEquals("HIT", refilled.xCache());
        assertEquals("answer 2 to Hello", refilled.text());
    }

    @Test
    void theCacheStaysWithinItsByteBudget() {
        TestPluginContext context = context(Map.of(CacheSettings.TTL, "60", CacheSettings.MAX_BYTES, "16k"));
        CacheMiddleware cache = (CacheMiddleware) new CacheMiddlewareProvider().create(context).orElseThrow();
        String padding = "x".repeat(400);

        for (int i = 0; i < 200; i++) {
            Call.asking("claude-sonnet", "question " + i + " " + padding).through(cache, backend);
        }
        cache.cleanUp();

        assertTrue(cache.bytes() <= 16 * 1024, "bytes: " + cache.bytes());
        assertTrue(cache.bytes() > 8 * 1024, "the budget is used: " + cache.bytes());
        assertTrue(cache.entries() < 200 && cache.entries() > 5, "entries: " + cache.entries());
        assertEquals((double) cache.entries(), context.gauge("llm_cache_entries"));
        assertEquals((double) cache.bytes(), context.gauge("llm_cache_bytes"));
    }

    @Test
    void anAnswerLargerThanTheWholeBudgetIsNotKept() {
        CacheMiddleware cache = (CacheMiddleware) cache(CacheSettings.MAX_BYTES, "8k");
        backend.script(exchange -> FakeBackend.answer("y".repeat(10_000)));

        Call.Result first = Call.asking("claude-sonnet", "Hello").through(cache, backend);
        Call.Result second = Call.asking("claude-sonnet", "Hello").through(cache, backend);

        assertEquals(10_000, first.text().length(), "the client still gets all of it");
        assertEquals("MISS", second.xCache());
        cache.cleanUp();
        assertEquals(0, cache.entries());
    }

    @Test
    void errorsAreNotCached() {
        Middleware cache = cache();
        backend.script(exchange -> List.of(new ChatDelta.Text("partial"))).failWith(GatewayException.badGateway("boom"));

        GatewayException failure = assertThrows(GatewayException.class,
                                                () -> Call.of(STREAMED).through(cache, backend));
        assertEquals(502, failure.status());

        backend.failWith(null).script(exchange -> FakeBackend.answer("fine"));
        assertEquals("MISS", Call.of(STREAMED).through(cache, backend).xCache());
        assertEquals("HIT", Call.of(STREAMED).through(cache, backend).xCache());
    }

    @Test
    void anErrorAfterTheFinishIsNotCachedEither() {
        Middleware cache = cache();
        backend.failWith(GatewayException.timeout("late"));

        assertThrows(GatewayException.class, () -> Call.of(STREAMED).through(cache, backend));
        backend.failWith(null);

        assertEquals("MISS", Call.of(STREAMED).through(cache, backend).xCache());
    }

    @Test
    void aStreamWithoutFinishIsNotCached() {
        Middleware cache = cache();
        backend.script(exchange -> List.of(new ChatDelta.Text("cut "), new ChatDelta.Text("short")));

        Call.Result truncated = Call.of(STREAMED).through(cache, backend);
        Call.Result again = Call.of(STREAMED).through(cache, backend);

        assertEquals("cut short", truncated.text());
        assertEquals("MISS", again.xCache());
        assertEquals(2, backend.calls());
    }

    @Test
    void aClientThatLeftMidStreamLeavesNothingBehind() {
        Middleware cache = cache();
        RecordingSink leaving = new RecordingSink(delta -> {
            if (delta instanceof ChatDelta.Finish) {
                throw new ClientDisconnectedException(new java.io.IOException("reset"));
            }
        });

        assertThrows(ClientDisconnectedException.class, () -> Call.of(STREAMED).through(cache, backend, leaving));

        assertEquals("MISS", Call.of(STREAMED).through(cache, backend).xCache());
    }

    @Test
    void aBackendThatSwallowsTheDisconnectStillLeavesNothingBehind() {
        Middleware cache = cache();
        RecordingSink leaving = new RecordingSink(delta -> {
            if (delta instanceof ChatDelta.Text) {
                throw new ClientDisconnectedException(new java.io.IOException("reset"));
            }
        });
        Call call = Call.of(STREAMED);
        TestExchange exchange = call.exchange();
        // a badly behaved backend: it goes on emitting after the sink failed and returns normally
        cache.handle(exchange, leaving, sink -> {
            for (ChatDelta delta : FakeBackend.answer("ignored")) {
                try {
                    sink.emit(delta);
                } catch (ClientDisconnectedException e) {
                    // swallowed
                }
            }
        });

        assertEquals("MISS", Call.of(STREAMED).through(cache, backend).xCache());
    }

    @Test
    void relayedAnswersOnlyServeTheModeTheyWereAskedIn() {
        Middleware cache = cache();
        backend.script(exchange -> relayed(exchange.request().stream(), exchange.request().includeUsage()));
        String streamedWithUsage = STREAMED.replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}");

        Call.Result streamed = Call.of(STREAMED).through(cache, backend);
        Call.Result whole = Call.of(WHOLE).through(cache, backend);
        Call.Result withUsage = Call.of(streamedWithUsage).through(cache, backend);

        assertEquals(List.of("MISS", "MISS", "MISS"), List.of(streamed.xCache(), whole.xCache(), withUsage.xCache()));
        assertEquals(3, backend.calls());

        // each mode now has its own entry, and each is served in its own shape
        assertEquals(streamed.deltas(), Call.of(STREAMED).through(cache, backend).deltas());
        assertEquals(whole.deltas(), Call.of(WHOLE).through(cache, backend).deltas());
        assertEquals(withUsage.deltas(), Call.of(streamedWithUsage).through(cache, backend).deltas());
        assertEquals(3, backend.calls());
        assertNotEquals(streamed.deltas(), whole.deltas());
    }

    @Test
    void countersCountLookupsPerTenantAndModel() {
        TestPluginContext context = context(Map.of(CacheSettings.TTL, "60"));
        Middleware cache = new CacheMiddlewareProvider().create(context).orElseThrow();

        Call.asking("claude-sonnet", "Hello").through(cache, backend);
        Call.asking("claude-sonnet", "Hello").through(cache, backend);
        Call.asking("claude-sonnet", "Hello").through(cache, backend);
        Call.asking("claude-opus", "Hello").tenant("team-a").through(cache, backend);
        Call.asking("claude-opus", "Hello").tenant("team-a").through(cache, backend);
        Call.asking("claude-opus", "Hello").tenant("team-a").header("cache-control", "no-cache").through(cache, backend);

        Map<String, String> none = Map.of("tenant", "none", "model", "claude-sonnet");
        Map<String, String> teamA = Map.of("tenant", "team-a", "model", "claude-opus");
        assertEquals(2, context.counter("llm_cache_hits_total", none));
        assertEquals(1, context.counter("llm_cache_misses_total", none));
        assertEquals(1, context.counter("llm_cache_hits_total", teamA));
        assertEquals(1, context.counter("llm_cache_misses_total", teamA));
        assertEquals(3, context.counter("llm_cache_hits_total"), "a bypass is not counted");
        for (String name : List.of("llm_cache_hits_total", "llm_cache_misses_total")) {
            for (Map<String, String> tags : context.tagSets(name)) {
                assertEquals(Set.of("tenant", "model"), tags.keySet(), "the host's tag keys, exactly");
            }
        }
    }

    @Test
    void sampledRequestsAreCachedByDefault() {
        Middleware cache = cache();
        Call sampled = Call.of("{\"model\":\"claude-sonnet\",\"temperature\":1.2,"
                                       + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        sampled.through(cache, backend);

        assertEquals("HIT", sampled.through(cache, backend).xCache());
    }

    @Test
    void sampledRequestsCanBeSkipped() {
        TestPluginContext context = context(Map.of(CacheSettings.TTL, "60", CacheSettings.SAMPLED, "skip"));
        Middleware cache = new CacheMiddlewareProvider().create(context).orElseThrow();
        String template = "{\"model\":\"claude-sonnet\",%s\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        Call sampled = Call.of(template.formatted("\"temperature\":0.7,"));
        Call greedy = Call.of(template.formatted("\"temperature\":0,"));
        Call unspecified = Call.of(template.formatted(""));

        Call.Result first = sampled.through(cache, backend);
        Call.Result second = sampled.through(cache, backend);
        greedy.through(cache, backend);
        unspecified.through(cache, backend);

        assertEquals("BYPASS", first.xCache());
        assertEquals("bypass", first.logged());
        assertEquals("BYPASS", second.xCache());
        assertEquals("HIT", greedy.through(cache, backend).xCache());
        assertEquals("HIT", unspecified.through(cache, backend).xCache());
        assertEquals(2, context.counter("llm_cache_hits_total"), "only the cacheable requests are counted");
        assertEquals(2, context.counter("llm_cache_misses_total"));
        assertEquals(4, backend.calls());
    }

    @Test
    void aHitDoesNotCallTheRestOfTheChain() {
        Middleware cache = cache();
        Call.asking("claude-sonnet", "Hello").through(cache, backend);
        Call call = Call.asking("claude-sonnet", "Hello");
        TestExchange exchange = call.exchange();

        cache.handle(exchange, new RecordingSink(), sink -> {
            throw new AssertionError("a hit must not reach the backend");
        });

        assertEquals("HIT", exchange.responseHeaders().get("x-cache"));
    }

    @Test
    void aHitSharesTheStoredTextRatherThanCopyingIt() {
        Middleware cache = cache();
        Call.asking("claude-sonnet", "Hello").through(cache, backend);

        List<ChatDelta> one = Call.asking("claude-sonnet", "Hello").through(cache, backend).deltas();
        List<ChatDelta> two = Call.asking("claude-sonnet", "Hello").through(cache, backend).deltas();

        assertEquals(one, two);
        assertSame(((ChatDelta.Text) one.getFirst()).text(), ((ChatDelta.Text) two.getFirst()).text());
    }

    @Test
    void offWithoutTtl() {
        assertTrue(new CacheMiddlewareProvider().create(context(Map.of())).isEmpty());
        assertTrue(new CacheMiddlewareProvider().create(context(Map.of(CacheSettings.TTL, "0"))).isEmpty());
        assertFalse(new CacheMiddlewareProvider().create(context(Map.of(CacheSettings.TTL, "0.5"))).isEmpty());
    }

    private static List<ChatDelta> relayed(boolean stream, boolean includeUsage) {
        List<ChatDelta> deltas = new ArrayList<>();
        if (stream) {
            deltas.add(new ChatDelta.Passthrough(chunk("{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\","
                                                               + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}")));
            deltas.add(new ChatDelta.Passthrough(chunk("{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\","
                                                               + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}")));
            if (includeUsage) {
                deltas.add(new ChatDelta.Passthrough(chunk("{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\","
                                                                   + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
                                                                   + "\"completion_tokens\":1,\"total_tokens\":6}}")));
            }
        } else {
            deltas.add(new ChatDelta.Passthrough(chunk("{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion\","
                                                               + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                                                               + "\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}")));
        }
        deltas.add(new ChatDelta.Finish(FinishReason.STOP));
        deltas.add(new ChatDelta.Usage(TokenUsage.of(5, 1)));
        return deltas;
    }

    private static JsonObject chunk(String json) {
        return Json.createReader(new java.io.StringReader(json)).readObject();
    }

    private Middleware cache(String... keysAndValues) {
        Map<String, String> config = new HashMap<>();
        config.put(CacheSettings.TTL, "60");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new CacheMiddlewareProvider().create(context(config)).orElseThrow();
    }

    private TestPluginContext context(Map<String, String> config) {
        TestPluginContext context = TestPluginContext.of(config, new ManualClock());
        contexts.add(context);
        return context;
    }
}
