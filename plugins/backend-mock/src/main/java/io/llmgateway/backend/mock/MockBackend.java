package io.llmgateway.backend.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.api.ToolCall;

/**
 * Answers deterministically: the same request always gets the same answer (see {@link MockReplies}),
 * streamed token by token, tool calls as OpenAI streams them.
 */
final class MockBackend implements Backend {

    private static final long CREATED = 1_735_689_600L; // 2025-01-01, fixed so listings are stable
    private static final List<ModelInfo> MODELS = List.of(
            new ModelInfo("claude-sonnet", "llm-gateway-mock", CREATED),
            new ModelInfo("claude-opus", "llm-gateway-mock", CREATED),
            new ModelInfo("claude-haiku", "llm-gateway-mock", CREATED),
            new ModelInfo("mock", "llm-gateway-mock", CREATED));

    private final MockReplies replies;
    private final Duration latency;
    private final Clock clock;

    MockBackend(Optional<String> fixedAnswer, Duration latency, Clock clock) {
        this.replies = new MockReplies(fixedAnswer);
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
        MockReply reply = replies.reply(request);
        waitForLatency(exchange.deadline());

        int limit = request.maxTokens().orElse(Integer.MAX_VALUE);
        long prompt = Tokens.countPrompt(request.messages()) + Tokens.countDefinitions(request.body());
        int emitted = 0;
        boolean cut = false;
        switch (reply) {
            case MockReply.Content(String content) -> {
                List<String> tokens = Tokens.split(cutAtStop(content, request.stop()));
                emitted = Math.min(tokens.size(), limit);
                for (int i = 0; i < emitted; i++) {
                    sink.emit(new ChatDelta.Text(tokens.get(i)));
                }
                cut = emitted < tokens.size();
            }
            case MockReply.Calls(List<ToolCall> calls) -> {
                // as OpenAI streams them: id and name first, then the arguments in pieces
                for (int index = 0; index < calls.size() && !cut; index++) {
                    ToolCall call = calls.get(index);
                    if (emitted++ >= limit) {
                        cut = true;
                        break;
                    }
                    sink.emit(new ChatDelta.ToolCallFragment(index, Optional.of(call.id()), Optional.of(call.name()), ""));
                    for (String piece : Tokens.split(call.arguments())) {
                        if (emitted >= limit) {
                            cut = true;
                            break;
                        }
                        sink.emit(new ChatDelta.ToolCallFragment(index, Optional.empty(), Optional.empty(), piece));
                        emitted++;
                    }
                }
                emitted = Math.min(emitted, limit);
            }
        }
        FinishReason reason = cut ? FinishReason.LENGTH
                : reply instanceof MockReply.Calls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        sink.emit(new ChatDelta.Finish(reason));
        sink.emit(new ChatDelta.Usage(TokenUsage.of(prompt, emitted)));
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
