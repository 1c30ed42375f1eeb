package io.llmgateway.backend.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.llmgateway.anthropic.StructuredOutput;
import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;

/**
 * Serves Anthropic models (the aliases and any {@code claude-*} id) through the Messages API, and the
 * models of an OpenAI-compatible upstream by relaying it; one upstream attempt per call.
 */
final class ApiBackend implements Backend {

    private static final long CREATED = 1_735_689_600L; // 2025-01-01, fixed so listings are stable

    private final ApiSettings settings;
    private final Optional<UpstreamCall> anthropic;
    private final Optional<UpstreamCall> openAi;
    private final Optional<OpenAiModels> openAiModels;
    private final List<AutoCloseable> clients;

    ApiBackend(ApiSettings settings, Optional<UpstreamCall> anthropic, Optional<UpstreamCall> openAi,
               Optional<OpenAiModels> openAiModels, List<AutoCloseable> clients) {
        this.settings = settings;
        this.anthropic = anthropic;
        this.openAi = openAi;
        this.openAiModels = openAiModels;
        this.clients = List.copyOf(clients);
    }

    @Override
    public List<ModelInfo> models() {
        List<ModelInfo> models = new ArrayList<>();
        if (anthropic.isPresent()) {
            settings.aliases().keySet().forEach(alias -> models.add(new ModelInfo(alias, "anthropic", CREATED)));
        }
        openAiModels.ifPresent(upstream -> models.addAll(upstream.listed()));
        return models;
    }

    @Override
    public boolean serves(String model) {
        return isAnthropic(model) || openAiModels.flatMap(upstream -> upstream.upstreamName(model)).isPresent();
    }

    @Override
    public void chat(ChatExchange exchange, ChatSink sink) {
        ChatRequest request = exchange.request();
        String model = request.model();
        if (isAnthropic(model)) {
            String modelId = settings.aliases().getOrDefault(model, model);
            exchange.annotate("upstream_model", modelId);
            AnthropicRequests.Built built = AnthropicRequests.build(request, modelId, settings.defaultMaxTokens(),
                                                                    request.stream(),
                                                                    settings.structuredOutputs().nativeFor(modelId));
            switch (built.output()) {
                case StructuredOutput.Native ignored -> exchange.annotate("structured_output", "native");
                case StructuredOutput.AnswerTool ignored -> exchange.annotate("structured_output", "tool");
                case StructuredOutput.None ignored -> {
                    // a text answer
                }
            }
            anthropic.orElseThrow().run(exchange.requestId(), "/v1/messages", built.json(), exchange.deadline(),
                                        new AnthropicAnswers(sink, request.stream(), built.answerTool()));
            return;
        }
        String upstreamModel = openAiModels.flatMap(upstream -> upstream.upstreamName(model))
                .orElseThrow(() -> GatewayException.modelNotFound(model));
        exchange.annotate("upstream_model", upstreamModel);
        UpstreamCall relayed = openAi.orElseThrow();
        relayed.run(exchange.requestId(), "/v1/chat/completions", OpenAiRelay.request(request.body(), upstreamModel),
                    exchange.deadline(), new OpenAiRelay(sink, relayed.upstream(), model, request.stream()));
    }

    @Override
    public BackendHealth health() {
        if (anthropic.isPresent()) {
            return BackendHealth.up();
        }
        return openAiModels.flatMap(OpenAiModels::problem)
                .map(problem -> new BackendHealth(BackendHealth.State.DOWN, problem))
                .orElseGet(BackendHealth::up);
    }

    @Override
    public void close() {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                // closing connections at shutdown: nothing left to do about a failure
            }
        }
    }

    private boolean isAnthropic(String model) {
        return anthropic.isPresent() && (settings.aliases().containsKey(model) || model.startsWith("claude-"));
    }
}
