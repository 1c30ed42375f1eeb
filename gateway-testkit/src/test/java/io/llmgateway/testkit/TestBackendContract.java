package io.llmgateway.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.TokenUsage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The contract against the smallest backend that keeps it, acting out every scenario; and the shape check
 * catching answers the host could not render.
 */
final class TestBackendContract extends BackendContract {

    @Override
    protected Optional<Backend> backendFor(BackendScenario scenario) {
        return Optional.of(new ActingBackend(scenario));
    }

    @Test
    void theShapeCheckRefusesAnswersOutOfOrder() {
        ChatDelta text = new ChatDelta.Text("hi");
        ChatDelta finish = new ChatDelta.Finish(FinishReason.STOP);
        ChatDelta usage = new ChatDelta.Usage(TokenUsage.of(1, 1));

        assertAnswerShape(List.of(text, finish, usage));
        assertThrows(AssertionError.class, () -> assertAnswerShape(List.of(text, usage, finish)));
        assertThrows(AssertionError.class, () -> assertAnswerShape(List.of(text, finish, finish, usage)));
        assertThrows(AssertionError.class, () -> assertAnswerShape(List.of(finish, usage)));
        assertThrows(AssertionError.class, () -> assertAnswerShape(List.of(text, finish, new ChatDelta.Usage(TokenUsage.of(1, 0)))));
    }

    /** Does what the scenario asks, as a backend with a real upstream would. */
    private record ActingBackend(BackendScenario scenario) implements Backend {

        @Override
        public List<ModelInfo> models() {
            return List.of(new ModelInfo("acting", "test", 0));
        }

        @Override
        public void chat(ChatExchange exchange, ChatSink sink) {
            switch (scenario) {
                case ANSWERS -> {
                    sink.emit(new ChatDelta.Text("Hello"));
                    sink.emit(new ChatDelta.Text(" there"));
                    sink.emit(new ChatDelta.Finish(FinishReason.STOP));
                    sink.emit(new ChatDelta.Usage(TokenUsage.of(5, 2)));
                }
                case FAILS_BEFORE_FIRST_DELTA -> throw GatewayException.badGateway("the upstream answered 500");
                case FAILS_AFTER_FIRST_DELTA -> {
                    sink.emit(new ChatDelta.Text("Hello"));
                    throw GatewayException.badGateway("the upstream's stream broke");
                }
                case HANGS -> {
                    try {
                        Thread.sleep(Math.max(0, Duration.between(Instant.now(), exchange.deadline()).toMillis()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw GatewayException.timeout("the upstream did not answer in time");
                }
            }
        }
    }
}
