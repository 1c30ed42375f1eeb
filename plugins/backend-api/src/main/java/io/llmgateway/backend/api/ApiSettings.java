package io.llmgateway.backend.api;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.anthropic.StructuredOutputs;
import io.llmgateway.api.PluginConfig;
import io.llmgateway.api.PluginConfigurationException;

/**
 * The api backend's configuration (every key is documented in the README).
 *
 * @param anthropicKey        {@code ANTHROPIC_API_KEY}; without it no Anthropic models are served
 * @param anthropicBaseUrl    {@code ANTHROPIC_BASE_URL}, default {@code https://api.anthropic.com}
 * @param anthropicVersion    the {@code anthropic-version} header ({@code ANTHROPIC_VERSION}, 2023-06-01)
 * @param aliases             model aliases to Anthropic model ids ({@code LLM_MODEL_ALIASES} over the defaults)
 * @param defaultMaxTokens    {@code max_tokens} when the client sets none ({@code LLM_API_DEFAULT_MAX_TOKENS}, 4096)
 * @param maxRetries          retries of a failed upstream call ({@code LLM_API_MAX_RETRIES}, 2)
 * @param connectTimeout      connection timeout ({@code LLM_API_CONNECT_TIMEOUT}, 10 s)
 * @param openAiBaseUrl       an OpenAI-compatible upstream ({@code LLM_OPENAI_BASE_URL}), if any
 * @param openAiKey           its key ({@code LLM_OPENAI_API_KEY}), if it needs one
 * @param openAiModels        its models as {@code client name -> upstream name} ({@code LLM_OPENAI_MODELS});
 *                            empty: ask the upstream's {@code /v1/models}
 * @param structuredOutputs   how a {@code json_schema} response format reaches Anthropic
 *                            ({@code LLM_API_STRUCTURED_OUTPUTS}, auto)
 */
record ApiSettings(Optional<String> anthropicKey,
                   URI anthropicBaseUrl,
                   String anthropicVersion,
                   Map<String, String> aliases,
                   int defaultMaxTokens,
                   int maxRetries,
                   Duration connectTimeout,
                   Optional<URI> openAiBaseUrl,
                   Optional<String> openAiKey,
                   Map<String, String> openAiModels,
                   StructuredOutputMode structuredOutputs) {

    /** The current model of each family, as of this release; override with LLM_MODEL_ALIASES. */
    static final Map<String, String> DEFAULT_ALIASES = Map.of(
            "claude-sonnet", "claude-sonnet-5-5",
            "claude-opus", "claude-opus-5-5",
            "claude-haiku", "claude-haiku-5-5");

    /** How a {@code json_schema} response format reaches Anthropic. */
    enum StructuredOutputMode {
        /** Native structured outputs on the models that have them (Claude 4.5 and later), a forced tool elsewhere. */
        AUTO,
        /** Native structured outputs on every model, for ids the rule does not know. */
        NATIVE,
        /** Always the forced tool. */
        TOOL;

        static StructuredOutputMode from(String value) {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "native" -> NATIVE;
                case "tool" -> TOOL;
                default -> throw new PluginConfigurationException(
                        "LLM_API_STRUCTURED_OUTPUTS must be auto, native or tool, got '" + value + "'");
            };
        }

        /** Whether a model gets native structured outputs. */
        boolean nativeFor(String modelId) {
            return switch (this) {
                case AUTO -> StructuredOutputs.nativeByDefault(modelId);
                case NATIVE -> true;
                case TOOL -> false;
            };
        }
    }

    ApiSettings {
        aliases = Map.copyOf(aliases);
        openAiModels = Map.copyOf(openAiModels);
    }

    static ApiSettings from(PluginConfig config) {
        Map<String, String> aliases = new LinkedHashMap<>(DEFAULT_ALIASES);
        aliases.putAll(pairs(config, "LLM_MODEL_ALIASES", false));
        ApiSettings settings = new ApiSettings(
                config.value("ANTHROPIC_API_KEY"),
                url(config, "ANTHROPIC_BASE_URL").orElse(URI.create("https://api.anthropic.com")),
                config.string("ANTHROPIC_VERSION", "2023-06-01"),
                aliases,
                config.integer("LLM_API_DEFAULT_MAX_TOKENS", 4096, 1, 1_000_000),
                config.integer("LLM_API_MAX_RETRIES", 2, 0, 10),
                config.seconds("LLM_API_CONNECT_TIMEOUT", Duration.ofSeconds(10)),
                url(config, "LLM_OPENAI_BASE_URL"),
                config.value("LLM_OPENAI_API_KEY"),
                pairs(config, "LLM_OPENAI_MODELS", true),
                StructuredOutputMode.from(config.string("LLM_API_STRUCTURED_OUTPUTS", "auto")));
        if (settings.anthropicKey().isEmpty() && settings.openAiBaseUrl().isEmpty()) {
            throw new PluginConfigurationException(
                    "the api backend needs ANTHROPIC_API_KEY (for the Anthropic Messages API) or LLM_OPENAI_BASE_URL"
                            + " (for an OpenAI-compatible upstream such as vLLM, Ollama or OpenAI); set one, or choose"
                            + " another backend with LLM_BACKEND=cli or LLM_BACKEND=mock");
        }
        return settings;
    }

    /**
     * {@code a=b,c=d}; with {@code bareAllowed}, a bare {@code c} means {@code c=c}.
     */
    private static Map<String, String> pairs(PluginConfig config, String key, boolean bareAllowed) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String entry : config.string(key, "").split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0 && !bareAllowed) {
                throw new PluginConfigurationException(key + " entries look like alias=model-id, got '" + trimmed + "'");
            }
            String name = equals < 0 ? trimmed : trimmed.substring(0, equals).trim();
            String target = equals < 0 ? trimmed : trimmed.substring(equals + 1).trim();
            if (name.isEmpty() || target.isEmpty()) {
                throw new PluginConfigurationException(key + " has an empty name in '" + trimmed + "'");
            }
            pairs.put(name, target);
        }
        return pairs;
    }

    private static Optional<URI> url(PluginConfig config, String key) {
        return config.value(key).map(value -> {
            String trimmed = value.trim().replaceAll("/+$", "");
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new PluginConfigurationException(key + " is not a URL: '" + value + "'");
            }
            if (!List.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
                throw new PluginConfigurationException(key + " must be an http(s) URL, got '" + value + "'");
            }
            return uri;
        });
    }
}
