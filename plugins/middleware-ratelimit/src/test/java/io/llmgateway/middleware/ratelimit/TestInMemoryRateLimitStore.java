package io.llmgateway.middleware.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TestInMemoryRateLimitStore {

    private static final Limits TEN_A_MINUTE = new Limits(OptionalLong.of(10), OptionalLong.of(1000));
    private static final Instant START = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void callersWhoseBucketsRefilledAreForgottenAndComeBackFull() {
        InMemoryRateLimitStore store = new InMemoryRateLimitStore();
        for (int i = 0; i < 10; i++) {
            assertTrue(store.admit("client:10.0.0.1", TEN_A_MINUTE, 100, START).admitted());
        }
        assertFalse(store.admit("client:10.0.0.1", TEN_A_MINUTE, 100, START).admitted());
        store.admit("client:10.0.0.2", TEN_A_MINUTE, 1, START.plusSeconds(58)); // its request is back 6 s later

        // a minute after the first caller's last call its buckets are full; the second's are not yet
        assertEquals(1, store.forgetFull(START.plusSeconds(60)));
        assertEquals(1, store.callers());

        RateLimitStore.Admission back = store.admit("client:10.0.0.1", TEN_A_MINUTE, 100, START.plusSeconds(61));
        assertTrue(back.admitted());
        assertEquals(9, back.requests().orElseThrow().remaining());
        assertEquals(900, back.tokens().orElseThrow().remaining());
        assertEquals(2, store.forgetFull(START.plusSeconds(120)), "both refilled by now");
        assertEquals(0, store.callers());
    }

    @Test
    void forgettingNeverLetsMoreThanTheLimitIn() throws Exception {
        InMemoryRateLimitStore store = new InMemoryRateLimitStore();
        AtomicBoolean sweeping = new AtomicBoolean(true);
        Thread sweeper = Thread.ofPlatform().start(() -> {
            while (sweeping.get()) {
                store.forgetFull(START); // the time stands still: only callers nobody has admitted yet are full
            }
        });
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 200; round++) {
                String caller = "client:round-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> calls = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    calls.add(clients.submit(() -> {
                        go.await();
                        return store.admit(caller, TEN_A_MINUTE, 1, START).admitted();
                    }));
                }
                go.countDown();
                int admitted = 0;
                for (Future<Boolean> call : calls) {
                    admitted += call.get() ? 1 : 0;
                }
                assertEquals(10, admitted, caller);
            }
        } finally {
            sweeping.set(false);
            sweeper.join(Duration.ofSeconds(5));
        }
    }
}
