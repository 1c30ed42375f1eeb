package io.llmgateway.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatCompletion;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.Role;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@link Backend} contract as the host relies on it, as a JUnit 5 suite (the way Trino's
 * {@code BaseConnectorTest} runs against every connector). A backend's test extends it and says how to make its
 * backend (and its fake upstream) act out each {@link BackendScenario}; every test here then runs against it:
 * <ul>
 *   <li>an answer is content deltas, then exactly one {@link ChatDelta.Finish}, then exactly one
 *       {@link ChatDelta.Usage}, streamed or not;</li>
 *   <li>a failure before the first delta is a {@link GatewayException} with nothing emitted (so the host can still
 *       answer with an HTTP error, or try elsewhere);</li>
 *   <li>a failure after the first delta is a {@link GatewayException} without a {@code Finish};</li>
 *   <li>a client that leaves ({@link ClientDisconnectedException} from the sink) ends the call at once with that
 *       exception, and the backend serves the next call;</li>
 *   <li>a call that cannot finish by its {@link ChatExchange#deadline()} ends soon after it with a 504.</li>
 * </ul>
 *
 * <pre>{@code
 * final class TestEchoContract extends BackendContract {
 *     protected Optional<Backend> backendFor(BackendScenario scenario) {
 *         return scenario == BackendScenario.ANSWERS
 *                 ? Optional.of(new EchoBackendProvider().create(FakePluginContext.of(descriptor, Map.of())))
 *                 : Optional.empty();   // the echo backend cannot fail or hang: those tests are skipped
 *     }
 * }
 * }</pre>
 *
 * Each test asks for a backend of its own and the suite closes it afterwards ({@link #close(Backend)}).
 */
public abstract class BackendContract {

    private static final String PROMPT = "Say hello to the contract in a few words.";

    private final List<Backend> backends = new ArrayList<>();

    /**
     * A backend that will act out the scenario on its next calls.
     *
     * @param scenario what its next calls must do
     * @return the backend, or empty when it cannot be made to (the test is then skipped)
     */
    protected abstract Optional<Backend> backendFor(BackendScenario scenario);

    /**
     * Releases a backend after its test: {@link Backend#close()} unless overridden (to stop a fake upstream too).
     *
     * @param backend the backend
     */
    protected void close(Backend backend) {
        backend.close();
    }

    /**
     * The model the tests ask for: the first the backend lists, unless overridden.
     *
     * @param backend the backend
     * @return the model
     */
    protected String model(Backend backend) {
        return backend.models().getFirst().id();
    }

    /**
     * The type the exchanges name as the backend serving them.
     *
     * @return the type
     */
    protected String backendType() {
        return "contract";
    }

    /**
     * How long a call in these tests may take before the suite gives up on it.
     *
     * @return the time
     */
    protected Duration callTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * How far ahead the deadline of the {@link BackendScenario#HANGS} call is.
     *
     * @return the time
     */
    protected Duration hangDeadline() {
        return Duration.ofSeconds(1);
    }

    /**
     * How long after its deadline the {@link BackendScenario#HANGS} call may take to end: the time a backend needs
     * to give up on its upstream (5 s unless overridden).
     *
     * @return the time
     */
    protected Duration deadlineSlack() {
        return Duration.ofSeconds(5);
    }

    /**
     * The request the tests send.
     *
     * @param model  the model
     * @param stream whether the client asks for a stream
     * @return the request
     */
    protected ChatRequest request(String model, boolean stream) {
        return new ChatRequest(model, List.of(ChatMessage.of(Role.USER, PROMPT)), OptionalInt.empty(),
                               OptionalDouble.empty(), OptionalDouble.empty(), List.of(), stream, stream,
                               Optional.empty(), OptionalLong.empty(), Map.of(), JsonValue.EMPTY_JSON_OBJECT);
    }

    @AfterEach
    final void closeBackends() {
        backends.reversed().forEach(this::close);
        backends.clear();
    }

    /** Lists models, and serves each one it lists. */
    @Test
    public void listsTheModelsItServes() {
        Backend backend = backend(BackendScenario.ANSWERS);

        assertFalse(backend.models().isEmpty(), "a backend lists at least one model");
        for (ModelInfo model : backend.models()) {
            assertTrue(backend.serves(model.id()), () -> "lists " + model.id() + " but does not serve it");
        }
    }

    /** A whole answer: content, one Finish, one Usage, in that order. */
    @Test
    public void answersWithContentThenOneFinishThenOneUsage() {
        Backend backend = backend(BackendScenario.ANSWERS);
        ContractSink sink = ContractSink.reading();

        Call call = call(backend, request(model(backend), false), sink, deadline(callTimeout()));

        call.assertCompleted();
        assertAnswerShape(sink.deltas());
    }

    /** A streamed answer has the same shape. */
    @Test
    public void streamsContentThenOneFinishThenOneUsage() {
        Backend backend = backend(BackendScenario.ANSWERS);
        ContractSink sink = ContractSink.reading();

        Call call = call(backend, request(model(backend), true), sink, deadline(callTimeout()));

        call.assertCompleted();
        assertAnswerShape(sink.deltas());
    }

    /** A failure before the first delta leaves the sink empty, so the host can still answer with an HTTP error. */
    @Test
    public void failsBeforeTheFirstDeltaWithNothingEmitted() {
        Backend backend = backend(BackendScenario.FAILS_BEFORE_FIRST_DELTA);
        ContractSink sink = ContractSink.reading();

        Call call = call(backend, request(model(backend), true), sink, deadline(callTimeout()));

        call.assertFailedWithGatewayException();
        assertEquals(List.of(), sink.deltas(), "a failure before the first delta emits nothing");
    }

    /** A failure after the first delta is thrown, and the answer never claims to be finished. */
    @Test
    public void failsAfterTheFirstDeltaWithoutFinishing() {
        Backend backend = backend(BackendScenario.FAILS_AFTER_FIRST_DELTA);
        ContractSink sink = ContractSink.reading();

        Call call = call(backend, request(model(backend), true), sink, deadline(callTimeout()));

        call.assertFailedWithGatewayException();
        List<ChatDelta> deltas = sink.deltas();
        assertFalse(deltas.isEmpty(), "the scenario emits at least one delta before it fails");
        assertTrue(deltas.stream().noneMatch(delta -> delta instanceof ChatDelta.Finish || delta instanceof ChatDelta.Usage),
                   () -> "a failed answer has no Finish or Usage: " + deltas);
    }

    /** A client that leaves ends the call with {@link ClientDisconnectedException}; the next call is served. */
    @Test
    public void stopsWhenTheClientLeavesAndServesTheNextCall() {
        Backend backend = backend(BackendScenario.ANSWERS);
        ContractSink leaving = ContractSink.leavingAt(1);

        Call left = call(backend, request(model(backend), true), leaving, deadline(callTimeout()));

        assertInstanceOf(ClientDisconnectedException.class, left.failure().orElse(null),
                         "a backend lets the sink's ClientDisconnectedException end the call");
        assertEquals(1, leaving.refused(), "after the client left, the backend emits nothing more");

        ContractSink next = ContractSink.reading();
        call(backend, request(model(backend), true), next, deadline(callTimeout())).assertCompleted();
        assertAnswerShape(next.deltas());
    }

    /** A call that cannot finish by its deadline ends with a 504 soon after it. */
    @Test
    public void stopsAtTheDeadlineWith504() {
        Backend backend = backend(BackendScenario.HANGS);
        ContractSink sink = ContractSink.reading();
        Instant deadline = deadline(hangDeadline());

        Call call = call(backend, request(model(backend), true), sink, deadline);

        GatewayException error = call.assertFailedWithGatewayException();
        assertEquals(504, error.status(), () -> "a call past its deadline is a 504, got " + error.status() + ": "
                + error.getMessage());
        assertTrue(call.ended().isBefore(deadline.plus(deadlineSlack())),
                   () -> "ended " + Duration.between(deadline, call.ended()).toMillis() + " ms after the deadline");
        assertTrue(sink.deltas().stream().noneMatch(ChatDelta.Finish.class::isInstance), "a timed-out answer has no Finish");
    }

    /**
     * Checks the order of an answer's deltas: at least one content delta, then one Finish, then one Usage.
     *
     * @param deltas the deltas
     */
    protected static void assertAnswerShape(List<ChatDelta> deltas) {
        assertTrue(deltas.size() >= 3, () -> "an answer is content, a Finish and a Usage: " + deltas);
        assertInstanceOf(ChatDelta.Usage.class, deltas.getLast(), () -> "the last delta is the Usage: " + deltas);
        assertInstanceOf(ChatDelta.Finish.class, deltas.get(deltas.size() - 2),
                         () -> "the Finish comes right before the Usage: " + deltas);
        for (ChatDelta delta : deltas.subList(0, deltas.size() - 2)) {
            assertFalse(delta instanceof ChatDelta.Finish || delta instanceof ChatDelta.Usage,
                        () -> "one Finish and one Usage, at the end: " + deltas);
        }
        ChatCompletion completion = ChatCompletion.of(deltas);
        assertTrue(!completion.text().isEmpty() || !completion.toolCalls().isEmpty()
                           || deltas.getFirst() instanceof ChatDelta.Passthrough,
                   () -> "an answer has content: " + deltas);
        ChatDelta.Usage usage = (ChatDelta.Usage) deltas.getLast();
        assertTrue(usage.usage().completionTokens() > 0, () -> "the usage counts the answer's tokens: " + usage);
    }

    private Backend backend(BackendScenario scenario) {
        Optional<Backend> backend = backendFor(scenario);
        Assumptions.assumeTrue(backend.isPresent(), () -> "this backend cannot be made to act out " + scenario);
        backends.add(backend.get());
        return backend.get();
    }

    private static Instant deadline(Duration ahead) {
        return Instant.now().plus(ahead);
    }

    /** Runs the call on a virtual thread, as the host does, and gives up on it after the call timeout. */
    private Call call(Backend backend, ChatRequest request, ChatSink sink, Instant deadline) {
        ContractExchange exchange = new ContractExchange(request, backendType(), deadline);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().name("contract-call").start(() -> {
            try {
                backend.chat(exchange, sink);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Duration wait = Duration.between(Instant.now(), deadline).plus(callTimeout());
        try {
            if (!thread.join(wait)) {
                thread.interrupt();
                fail("the call did not return within " + wait.toSeconds() + " s (deadline included)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for the call");
        }
        return new Call(Optional.ofNullable(failure.get()), Instant.now());
    }

    /** How a call ended. */
    private record Call(Optional<Throwable> failure, Instant ended) {

        void assertCompleted() {
            failure.ifPresent(e -> fail("the call failed: " + e, e));
        }

        GatewayException assertFailedWithGatewayException() {
            Throwable e = failure.orElseThrow(() -> new AssertionError("the call was expected to fail but completed"));
            if (e instanceof GatewayException error) {
                return error;
            }
            throw new AssertionError("a failing call throws a GatewayException, not " + e, e);
        }
    }
}
