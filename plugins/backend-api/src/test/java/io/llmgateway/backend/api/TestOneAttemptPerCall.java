package io.llmgateway.backend.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.testing.Reply;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.llmgateway.backend.api.FaultyUpstream.Kind.ANTHROPIC;
import static io.llmgateway.backend.api.FaultyUpstream.Kind.OPENAI;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every fault of an upstream, on both paths, is one upstream request per call (the router retries, so a backend
 * that retried too would multiply attempts), fails before the first delta with nothing emitted, and carries the
 * status, failure kind and {@code retry-after} the router acts on.
 */
final class TestOneAttemptPerCall {

    /** Without the upstream's retry-after none is invented: the router and the SDK back off on their own. */
    private static final Duration NONE = null;

    /**
     * A fault and what the call must end with.
     *
     * @param name       the test's name
     * @param upstream   which upstream plays it
     * @param reply      what the upstream answers every request with
     * @param stream     whether the client asks for a stream
     * @param status     the client's status
     * @param kind       the failure kind
     * @param retryAfter the {@code retry-after} on the failure, if any
     */
    record Fault(String name, FaultyUpstream.Kind upstream, Reply reply, boolean stream, int status, FailureKind kind,
                 Optional<Duration> retryAfter) {
        @Override
        public String toString() {
            return upstream + ": " + name;
        }
    }

    static Stream<Fault> faults() {
        return Stream.of(
                fault(ANTHROPIC, "429 with retry-after", Reply.rateLimited(3), false, 429, FailureKind.RATE_LIMITED,
                      Duration.ofSeconds(3)),
                fault(ANTHROPIC, "429 with retry-after-ms, read first",
                      Reply.rateLimited(3).withHeader("retry-after-ms", "1500"), false, 429, FailureKind.RATE_LIMITED,
                      Duration.ofMillis(1500)),
                fault(ANTHROPIC, "529", Reply.overloaded(), false, 503, FailureKind.OVERLOADED, NONE),
                fault(ANTHROPIC, "529 with retry-after", Reply.overloaded().withHeader("retry-after", "7"), true, 503,
                      FailureKind.OVERLOADED, Duration.ofSeconds(7)),
                fault(ANTHROPIC, "503", Reply.error(503, "api_error", "Service unavailable"), false, 503,
                      FailureKind.OVERLOADED, NONE),
                fault(ANTHROPIC, "500", Reply.apiError(), true, 502, FailureKind.SERVER, null),
                fault(ANTHROPIC, "504 of the upstream", Reply.error(504, "timeout_error", "Request timed out"), false,
                      502, FailureKind.TIMEOUT, null),
                fault(ANTHROPIC, "overloaded_error event before the first delta", Reply.streamError(), true, 503,
                      FailureKind.OVERLOADED, NONE),
                fault(ANTHROPIC, "rate_limit_error event before the first delta",
                      new Reply.StreamError(List.of(), "rate_limit_error", "Slow down"), true, 429,
                      FailureKind.RATE_LIMITED, NONE),
                fault(ANTHROPIC, "api_error event before the first delta",
                      new Reply.StreamError(List.of(), "api_error", "Internal server error"), true, 502,
                      FailureKind.SERVER, null),
                fault(ANTHROPIC, "stream cut before the first delta", Reply.cut(), true, 502, FailureKind.SERVER, null),
                fault(ANTHROPIC, "whole answer cut", Reply.cut("never whole"), false, 502, FailureKind.SERVER, null),
                fault(ANTHROPIC, "no answer", Reply.hang(), true, 504, FailureKind.TIMEOUT, null),
                fault(ANTHROPIC, "connection dropped before answering", Reply.drop(), false, 502, FailureKind.CONNECT,
                      null),
                fault(ANTHROPIC, "malformed stream", Reply.malformed(), true, 502, FailureKind.SERVER, null),
                fault(ANTHROPIC, "malformed body", Reply.malformed(), false, 502, FailureKind.SERVER, null),

                fault(OPENAI, "429 with retry-after", Reply.rateLimited(3), true, 429, FailureKind.RATE_LIMITED,
                      Duration.ofSeconds(3)),
                fault(OPENAI, "429 with retry-after-ms, read first",
                      Reply.rateLimited(3).withHeader("retry-after-ms", "250"), false, 429, FailureKind.RATE_LIMITED,
                      Duration.ofMillis(250)),
                fault(OPENAI, "529", Reply.overloaded(), false, 503, FailureKind.OVERLOADED, NONE),
                fault(OPENAI, "500", Reply.apiError(), true, 502, FailureKind.SERVER, null),
                fault(OPENAI, "error right after the role chunk", Reply.streamError(), true, 502, FailureKind.SERVER,
                      null),
                fault(OPENAI, "rate limit error right after the role chunk",
                      new Reply.StreamError(List.of(), "rate_limit_error", "Slow down"), true, 429,
                      FailureKind.RATE_LIMITED, NONE),
                fault(OPENAI, "stream cut after the role chunk", Reply.cut(), true, 502, FailureKind.SERVER, null),
                fault(OPENAI, "no answer", Reply.hang(), false, 504, FailureKind.TIMEOUT, null),
                fault(OPENAI, "connection dropped before answering", Reply.drop(), true, 502, FailureKind.CONNECT, null),
                fault(OPENAI, "malformed stream", Reply.malformed(), true, 502, FailureKind.SERVER, null),
                fault(OPENAI, "malformed body", Reply.malformed(), false, 502, FailureKind.SERVER, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void oneUpstreamRequestPerCall(Fault fault) throws Exception {
        try (FaultyUpstream upstream = FaultyUpstream.start(fault.upstream(), fault.reply())) {
            for (int call = 1; call <= 2; call++) {
                List<ChatDelta> seen = new ArrayList<>();
                Instant deadline = Instant.now().plusSeconds(fault.kind() == FailureKind.TIMEOUT ? 1 : 30);

                GatewayException e = upstream.failedCall(fault.stream(), deadline, seen::add);

                assertEquals(call, upstream.requests(), "one upstream request per call");
                assertEquals(fault.status(), e.status(), e::getMessage);
                assertEquals(fault.kind(), e.failureKind(), e::getMessage);
                assertEquals(fault.retryAfter(), e.retryAfter(), e::getMessage);
                assertEquals(List.of(), seen, "failed before the first delta, with nothing emitted");
            }
        }
    }

    private static Fault fault(FaultyUpstream.Kind upstream, String name, Reply reply, boolean stream, int status,
                               FailureKind kind, Duration retryAfter) {
        return new Fault(name, upstream, reply, stream, status, kind, Optional.ofNullable(retryAfter));
    }
}
