package io.llmgateway.host.chat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.llmgateway.api.GatewayException;

/**
 * The memory all request bodies being read may hold together ({@code LLM_MAX_BODY_BYTES_IN_FLIGHT}): a
 * body takes its share as its bytes arrive, so clients that announce large bodies and send them slowly
 * cannot fill the heap; past the budget a request gets a 503 rather than the gateway an OutOfMemoryError.
 */
final class BodyBudget {

    private final long total;
    private final AtomicLong left;

    BodyBudget(long total) {
        this.total = total;
        this.left = new AtomicLong(total);
    }

    /** {@return a share for one body, empty at first; close it when the body is no longer held} */
    Share share() {
        return new Share();
    }

    /** The bytes one body holds. */
    final class Share implements AutoCloseable {
        private long held;

        /**
         * Takes more of the budget.
         *
         * @param bytes how many bytes more
         * @throws GatewayException 503 when the budget has no room
         */
        void grow(long bytes) {
            if (left.addAndGet(-bytes) < 0) {
                left.addAndGet(bytes);
                throw GatewayException.unavailable("The gateway is reading as many request bodies as its memory allows"
                                                           + " (LLM_MAX_BODY_BYTES_IN_FLIGHT = " + total
                                                           + " bytes); retry shortly", Optional.of(Duration.ofSeconds(1)));
            }
            held += bytes;
        }

        @Override
        public void close() {
            left.addAndGet(held);
            held = 0;
        }
    }
}
