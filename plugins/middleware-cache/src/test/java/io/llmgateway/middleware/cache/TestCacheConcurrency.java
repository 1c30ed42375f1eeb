package io.llmgateway.middleware.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.llmgateway.api.Middleware;
import io.llmgateway.testing.TestPluginContext;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many requests at once: every client gets the answer to its own question, whether from the cache or
 * from the backend, and the cache's books balance.
 */
final class TestCacheConcurrency {

    @Test
    void concurrentRequestsGetTheirOwnAnswers() throws Exception {
        FakeBackend backend = new FakeBackend().script(exchange -> FakeBackend.answer(
                "to " + exchange.tenant().orElse("-") + "/" + exchange.request().messages().getLast().text()));
        int requests = 4000;
        int questions = 25;
        try (TestPluginContext context = TestPluginContext.of(Map.of(CacheSettings.TTL, "60", CacheSettings.MAX_BYTES, "64k"));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Middleware cache = new CacheMiddlewareProvider().create(context).orElseThrow();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String tenant = "team-" + (i % 3);
                String question = "q" + (i * 7 % questions);
                done.add(threads.submit(() -> {
                    Call.Result result = Call.asking("claude-sonnet", question).tenant(tenant).through(cache, backend);
                    assertEquals("to " + tenant + "/" + question, result.text());
                    assertTrue(result.xCache().equals("HIT") || result.xCache().equals("MISS"));
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            long hits = context.counter("llm_cache_hits_total");
            long misses = context.counter("llm_cache_misses_total");
            assertEquals(requests, hits + misses);
            assertEquals(misses, backend.calls());
            assertTrue(misses >= questions * 3, "each of the 75 distinct requests missed at least once: " + misses);
            assertTrue(hits > requests / 2, "most requests hit: " + hits);
        }
    }
}
