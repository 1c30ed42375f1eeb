package io.llmgateway.backend.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The FIFO queue of requests waiting for a session, bounded by {@code LLM_POOL_QUEUE_SIZE}. Not thread-safe:
 * guarded by the pool's lock.
 */
final class WaitingRequests implements Iterable<Waiter> {

    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private final int capacity;

    WaitingRequests(int capacity) {
        this.capacity = capacity;
    }

    boolean isFull() {
        return waiters.size() >= capacity;
    }

    int capacity() {
        return capacity;
    }

    Waiter add(SessionKey key, Affinity affinity, BooleanSupplier clientGone) {
        Waiter waiter = new Waiter(key, affinity, clientGone);
        waiters.addLast(waiter);
        return waiter;
    }

    /** Removes a waiter; false when it was no longer queued (handed a session or failed meanwhile). */
    boolean remove(Waiter waiter) {
        return waiters.remove(waiter);
    }

    /** How many requests of the key wait. */
    int waiting(SessionKey key) {
        return (int) waiters.stream().filter(w -> w.key().equals(key)).count();
    }

    boolean anyFor(SessionKey key) {
        return waiters.stream().anyMatch(w -> w.key().equals(key));
    }

    /**
     * Takes out the requests whose client has gone, ending their waits with the exception.
     *
     * @param gone makes what their waits end with
     * @return how many were taken out
     */
    int dropGone(Supplier<RuntimeException> gone) {
        int dropped = 0;
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.clientGone()) {
                it.remove();
                waiter.fail(gone.get());
                dropped++;
            }
        }
        return dropped;
    }

    /** Ends the waits of the key's requests with the failure. */
    void failAll(SessionKey key, RuntimeException failure) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.key().equals(key)) {
                it.remove();
                waiter.fail(failure);
            }
        }
    }

    /** Ends every wait with the failure. */
    void failAll(RuntimeException failure) {
        waiters.forEach(waiter -> waiter.fail(failure));
        waiters.clear();
    }

    /** Oldest first; its {@code remove} takes a waiter out of the queue. */
    @Override
    public Iterator<Waiter> iterator() {
        return waiters.iterator();
    }
}
