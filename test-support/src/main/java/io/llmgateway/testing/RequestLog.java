package io.llmgateway.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The requests a fake received, in arrival order, safe to add to from many threads and to wait on. A
 * plain list under a lock rather than a copy-on-write list: a benchmark may add hundreds of thousands.
 */
final class RequestLog {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final List<RecordedRequest> requests = new ArrayList<>();

    void add(RecordedRequest request) {
        lock.lock();
        try {
            requests.add(request);
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<RecordedRequest> snapshot() {
        lock.lock();
        try {
            return List.copyOf(requests);
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            requests.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least {@code count} requests are recorded.
     *
     * @return the recorded requests
     * @throws AssertionError if fewer arrived within the timeout, listing those that did
     */
    List<RecordedRequest> await(int count, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (requests.size() < count) {
                if (remaining <= 0) {
                    throw new AssertionError("expected " + count + " requests within " + timeout + ", got "
                            + requests.size() + requests.stream().map(r -> "\n  " + r).collect(Collectors.joining()));
                }
                remaining = added.awaitNanos(remaining);
            }
            return List.copyOf(requests);
        } finally {
            lock.unlock();
        }
    }
}
