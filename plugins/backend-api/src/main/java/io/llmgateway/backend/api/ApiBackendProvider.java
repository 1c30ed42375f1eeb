package io.llmgateway.backend.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Provides the {@code api} backend: the Anthropic Messages API ({@code ANTHROPIC_API_KEY}) and/or an
 * OpenAI-compatible upstream ({@code LLM_OPENAI_BASE_URL}). {@code LLM_API_MAX_RETRIES} is deprecated: it is
 * read only to warn that it is ignored.
 */
public final class ApiBackendProvider implements BackendProvider {

    @Override
    public String type() {
        return "api";
    }

    @Override
    public PluginDescriptor descriptor() {
        return ApiSettings.DESCRIPTOR;
    }

    @Override
    public Backend create(PluginContext context) {
        ApiSettings settings = ApiSettings.from(context.settings());
        settings.ignoredMaxRetries().ifPresent(retries -> context.logger().log(
                WARNING, "max_retries (LLM_API_MAX_RETRIES) is " + retries + " but ignored: the api backend makes one"
                        + " upstream attempt per call and the router's max_attempts governs retries; unset it"));
        List<AutoCloseable> clients = new ArrayList<>();
        Optional<UpstreamCall> anthropic = settings.anthropicKey().map(key -> {
            UpstreamClient client = new UpstreamClient(settings.anthropicBaseUrl(),
                                                       Map.of("x-api-key", key,
                                                              "anthropic-version", settings.anthropicVersion()),
                                                       settings.connectTimeout(), context.clock(), context.scheduler());
            clients.add(client);
            return new UpstreamCall(client, "Anthropic", settings.connectTimeout(), context.logger());
        });
        Optional<UpstreamCall> openAi = Optional.empty();
        Optional<OpenAiModels> openAiModels = Optional.empty();
        if (settings.openAiBaseUrl().isPresent()) {
            Map<String, String> headers = new HashMap<>();
            settings.openAiKey().ifPresent(key -> headers.put("authorization", "Bearer " + key));
            UpstreamClient client = new UpstreamClient(settings.openAiBaseUrl().get(), headers,
                                                       settings.connectTimeout(), context.clock(), context.scheduler());
            clients.add(client);
            OpenAiModels models = new OpenAiModels(client, settings.openAiModels(), settings.connectTimeout(),
                                                   context.logger());
            models.refresh();
            context.scheduler().scheduleWithFixedDelay(models::refresh, OpenAiModels.REFRESH.toSeconds(),
                                                       OpenAiModels.REFRESH.toSeconds(), TimeUnit.SECONDS);
            openAi = Optional.of(new UpstreamCall(client, "the upstream at " + client.base(), settings.connectTimeout(),
                                                  context.logger()));
            openAiModels = Optional.of(models);
        }
        return new ApiBackend(settings, anthropic, openAi, openAiModels, clients);
    }
}
