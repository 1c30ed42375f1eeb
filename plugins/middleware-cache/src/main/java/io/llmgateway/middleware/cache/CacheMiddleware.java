package io.llmgateway.middleware.cache;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.Middleware;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Answers a request it has seen from memory, and remembers the answers of those it has not.
 *
 * <p>A hit replays the stored deltas into the sink, so the host renders them as a whole answer or as a
 * stream, whichever the request asked for. A miss passes the call on through a {@link Recorder} and
 * keeps the answer if the call returned normally with a finish. Entries expire a fixed time after they
 * were stored and are evicted (Caffeine's W-TinyLFU) when their approximate sizes add up to more than
 * the budget. Concurrent misses of one key are not coalesced: each goes to the backend, and the last to
 * finish leaves its answer.
 *
 * <p>Every request that is looked up gets {@code x-cache: HIT} or {@code MISS} and the log field
 * {@code cache=hit|miss}, and counts in {@code llm_cache_hits_total} or {@code llm_cache_misses_total};
 * one that is not looked up ({@code Cache-Control: no-cache}, or a sampled request under
 * {@code LLM_CACHE_SAMPLED=skip}) gets {@code x-cache: BYPASS} and {@code cache=bypass} and is not
 * counted.
 */
final class CacheMiddleware implements Middleware {

    static final String HEADER = "x-cache";
    static final String LOG_FIELD = "cache";

    private final CacheSettings settings;
    private final Cache<CacheKey, CachedAnswer> cache;
    private final CacheCounters counters;
    /** Backend types that have relayed an upstream's own answer: only theirs can have relayed entries. */
    private final Set<String> relayingBackends = ConcurrentHashMap.newKeySet();
    /** The largest answer worth recording: one that fits in the cache on its own. */
    private final long maxEntryWeight;

    /**
     * Creates the middleware.
     *
     * @param settings its settings; the TTL must be positive
     * @param counters the hit and miss counters
     * @param ticker   the time source for expiry
     */
    CacheMiddleware(CacheSettings settings, CacheCounters counters, Ticker ticker) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("the cache needs a TTL above zero");
        }
        this.settings = settings;
        this.counters = counters;
        this.maxEntryWeight = Math.min(settings.maxBytes(), Integer.MAX_VALUE);
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(settings.ttl())
                .maximumWeight(settings.maxBytes())
                .weigher((CacheKey key, CachedAnswer answer) -> answer.weight())
                .ticker(ticker)
                // upkeep (expiry, eviction) runs on the calling request's thread, in small amortized steps,
                // rather than on the common fork-join pool
                .executor(Runnable::run)
                .build();
    }

    @Override
    public void handle(ChatExchange exchange, ChatSink sink, Chain next) {
        ChatRequest request = exchange.request();
        CacheControl control = CacheControl.of(exchange.header("cache-control"));
        if (sampledAndSkipped(request) || (control.noCache() && control.noStore())) {
            mark(exchange, State.BYPASS);
            next.proceed(sink);
            return;
        }
        CacheKey key = CacheKey.of(exchange, settings.shared());
        CacheKey.Mode mode = CacheKey.Mode.of(request);
        if (control.noCache()) {
            mark(exchange, State.BYPASS); // not looked up, but the fresh answer replaces the stored one
        } else {
            String tenant = exchange.tenant().orElse(CacheCounters.NONE);
            CachedAnswer stored = lookup(key, mode, exchange.backend());
            if (stored != null) {
                mark(exchange, State.HIT);
                counters.hit(tenant, request.model());
                stored.replay(sink);
                return;
            }
            mark(exchange, State.MISS);
            counters.miss(tenant, request.model());
        }
        if (control.noStore()) {
            next.proceed(sink);
            return;
        }
        Recorder recorder = new Recorder(sink, maxEntryWeight);
        next.proceed(recorder);
        Optional<CachedAnswer> answer = recorder.answer();
        answer.ifPresent(complete -> {
            if (complete.relayed()) {
                relayingBackends.add(exchange.backend());
                cache.put(key.relayed(mode), complete);
            } else {
                cache.put(key.rendered(), complete);
            }
        });
    }

    /**
     * The stored answer that suits the request: one the host renders, else an upstream's in the same mode
     * (looked for only when the backend has relayed an answer before: a miss then costs one lookup).
     */
    private CachedAnswer lookup(CacheKey key, CacheKey.Mode mode, String backend) {
        CachedAnswer rendered = cache.getIfPresent(key.rendered());
        if (rendered != null || !relayingBackends.contains(backend)) {
            return rendered;
        }
        return cache.getIfPresent(key.relayed(mode));
    }

    private boolean sampledAndSkipped(ChatRequest request) {
        OptionalDouble temperature = request.temperature();
        return settings.sampled() == CacheSettings.Sampled.SKIP && temperature.isPresent()
                && temperature.getAsDouble() > 0;
    }

    private static void mark(ChatExchange exchange, State state) {
        exchange.responseHeader(HEADER, state.header);
        exchange.annotate(LOG_FIELD, state.logValue);
    }

    /** What the cache did with a request, as the header and the log line say it. */
    private enum State {
        HIT, MISS, BYPASS;

        private final String header = name();
        private final String logValue = name().toLowerCase(Locale.ROOT);
    }

    /**
     * Entries now (expired ones may count until the next upkeep).
     *
     * @return the estimated number of entries
     */
    long entries() {
        return cache.estimatedSize();
    }

    /**
     * The approximate bytes all entries take.
     *
     * @return the total weight
     */
    long bytes() {
        return cache.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
    }

    /** Runs pending upkeep (expiry, eviction) now; for tests. */
    void cleanUp() {
        cache.cleanUp();
    }
}
