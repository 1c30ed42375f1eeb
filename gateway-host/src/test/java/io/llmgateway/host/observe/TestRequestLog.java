package io.llmgateway.host.observe;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

final class TestRequestLog {

    @Test
    void aStdoutThatStopsDrainingStallsNoRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                await(release);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                await(release);
            }
        };
        AtomicLong dropped = new AtomicLong();
        RequestLog log = new RequestLog(stalled, dropped::incrementAndGet);
        LogLine line = new LogLine(Instant.now()).field("request_id", "x".repeat(1000));
        long started = System.nanoTime();
        int lines = 2 * RequestLog.CAPACITY / 1000;
        for (int i = 0; i < lines; i++) {
            log.write(line);
        }
        assertThat("ms to write past a stalled stdout", (System.nanoTime() - started) / 1_000_000, lessThan(5_000L));
        assertThat(dropped.get(), greaterThan(0L));
        release.countDown();
        log.close();
    }

    @Test
    void linesReachTheSinkWithinAFlush() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        RequestLog log = new RequestLog(sink, () -> { });
        log.write(new LogLine(Instant.EPOCH).field("request_id", "one"));
        Thread.sleep(600);
        assertThat(sink.toString().contains("\"one\""), is(true));
        log.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
