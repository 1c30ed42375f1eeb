package io.llmgateway.backend.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.Role;
import io.llmgateway.api.TokenUsage;

/**
 * Answers deterministically: the same request always gets the same answer, streamed token by token.
 */
final class MockBackend implements Backend {

    private static final int ECHO_LIMIT = 200;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final long CREATED = 1_735_689_600L; // 2025-01-01, fixed so listings are stable
    private static final List<ModelInfo> MODELS = List.of(
            new ModelInfo("claude-sonnet", "llm-gateway-mock", CREATED),
            new ModelInfo("claude-opus", "llm-gateway-mock", CREATED),
            new ModelInfo("claude-haiku", "llm-gateway-mock", CREATED),
            new ModelInfo("mock", "llm-gateway-mock", CREATED));

    private final Optional<String> fixedAnswer;
    private final Duration latency;
    private final Clock clock;

    MockBackend(Optional<String> fixedAnswer, Duration latency, Clock clock) {
        this.fixedAnswer = fixedAnswer;
        this.latency = latency;
        this.clock = clock;
    }

    @Override
    public List<ModelInfo> models() {
        return MODELS;
    }

    @Override
    public void chat(ChatExchange exchange, ChatSink sink) {
        ChatRequest request = exchange.request();
        waitForLatency(exchange.deadline());

        String answer = cutAtStop(fixedAnswer.orElseGet(() -> answerTo(request)), request.stop());
        List<String> tokens = Tokens.split(answer);
        int limit = request.maxTokens().orElse(Integer.MAX_VALUE);
        int emitted = Math.min(tokens.size(), limit);
        for (int i = 0; i < emitted; i++) {
            sink.emit(new ChatDelta.Text(tokens.get(i)));
        }
        FinishReason reason = emitted < tokens.size() ? FinishReason.LENGTH : FinishReason.STOP;
        sink.emit(new ChatDelta.Finish(reason));
        sink.emit(new ChatDelta.Usage(TokenUsage.of(Tokens.countPrompt(request.messages()), emitted)));
    }

    static String answerTo(ChatRequest request) {
        String said = WHITESPACE.matcher(lastUserText(request.messages()).strip()).replaceAll(" ");
        if (said.length() > ECHO_LIMIT) {
            said = said.substring(0, ECHO_LIMIT) + "...";
        }
        return "Mock answer from " + request.model() + " to: " + said;
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return messages.get(i).text();
            }
        }
        return messages.getLast().text();
    }

    private static String cutAtStop(String answer, List<String> stops) {
        int cut = answer.length();
        for (String stop : stops) {
            int at = answer.indexOf(stop);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return answer.substring(0, cut);
    }

    private void waitForLatency(Instant deadline) {
        if (latency.isZero()) {
            return;
        }
        Duration untilDeadline = Duration.between(clock.instant(), deadline);
        try {
            if (untilDeadline.compareTo(latency) < 0) {
                Thread.sleep(Math.max(0, untilDeadline.toMillis()));
                throw GatewayException.timeout("the mock backend's latency (LLM_MOCK_LATENCY_MS) exceeds the request timeout");
            }
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.unavailable("the gateway is shutting down", Optional.empty());
        }
    }
}
