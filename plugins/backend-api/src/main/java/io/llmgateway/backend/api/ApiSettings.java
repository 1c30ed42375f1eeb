package io.llmgateway.backend.api;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.anthropic.StructuredOutputs;
import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.SettingSpec;
import io.llmgateway.api.Settings;
import io.llmgateway.api.SpiVersion;
import io.llmgateway.api.ValueTypes;

/**
 * The api backend's configuration, declared in {@link #DESCRIPTOR} (the plugin's README shows the table).
 *
 * @param anthropicKey        {@code ANTHROPIC_API_KEY}; without it no Anthropic models are served
 * @param anthropicBaseUrl    {@code ANTHROPIC_BASE_URL}, default {@code https://api.anthropic.com}
 * @param anthropicVersion    the {@code anthropic-version} header ({@code ANTHROPIC_VERSION}, 2023-06-01)
 * @param aliases             model aliases to Anthropic model ids ({@code LLM_MODEL_ALIASES} over the defaults)
 * @param defaultMaxTokens    {@code max_tokens} when the client sets none ({@code LLM_API_DEFAULT_MAX_TOKENS}, 4096)
 * @param ignoredMaxRetries   {@code LLM_API_MAX_RETRIES} if set: deprecated and ignored (the router retries)
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
                   Optional<Integer> ignoredMaxRetries,
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

        /** Whether a model gets native structured outputs. */
        boolean nativeFor(String modelId) {
            return switch (this) {
                case AUTO -> StructuredOutputs.nativeByDefault(modelId);
                case NATIVE -> true;
                case TOOL -> false;
            };
        }
    }

    static final SettingSpec<String> ANTHROPIC_KEY = SettingSpec.of(
                    "anthropic_api_key", ValueTypes.secret(),
                    "the Anthropic key; without it (and without openai_base_url) the api backend does not start")
            .env("ANTHROPIC_API_KEY");
    static final SettingSpec<URI> ANTHROPIC_BASE_URL = SettingSpec.of("anthropic_base_url", ValueTypes.url(),
                                                                      "the Messages API's address")
            .env("ANTHROPIC_BASE_URL").defaultValue(URI.create("https://api.anthropic.com"));
    static final SettingSpec<String> ANTHROPIC_VERSION = SettingSpec.of("anthropic_version", ValueTypes.string(),
                                                                        "the anthropic-version header")
            .env("ANTHROPIC_VERSION").defaultValue("2023-06-01");
    static final SettingSpec<Map<String, String>> MODEL_ALIASES = SettingSpec.of(
                    "model_aliases", ValueTypes.pairs(),
                    "alias=model-id pairs, added to (and overriding) claude-sonnet, claude-opus and claude-haiku")
            .env("LLM_MODEL_ALIASES").defaultText(ValueTypes.pairs().format(new java.util.TreeMap<>(DEFAULT_ALIASES)));
    static final SettingSpec<Integer> DEFAULT_MAX_TOKENS = SettingSpec.of(
                    "default_max_tokens", ValueTypes.integer(1, 1_000_000), "max_tokens for Anthropic when the client sets none")
            .env("LLM_API_DEFAULT_MAX_TOKENS").defaultValue(4096);
    /** Kept so configurations that set it still start; the backend makes one attempt per call. */
    static final SettingSpec<Integer> MAX_RETRIES = SettingSpec.of(
                    "max_retries", ValueTypes.integer(0, 10),
                    "ignored (deprecated: the router's max_attempts governs retries); a warning at start when set")
            .env("LLM_API_MAX_RETRIES");
    static final SettingSpec<Duration> CONNECT_TIMEOUT = SettingSpec.of("connect_timeout", ValueTypes.duration(),
                                                                        "how long connecting to an upstream may take")
            .env("LLM_API_CONNECT_TIMEOUT").defaultValue(Duration.ofSeconds(10));
    static final SettingSpec<StructuredOutputMode> STRUCTURED_OUTPUTS = SettingSpec.of(
                    "structured_outputs", ValueTypes.oneOf(StructuredOutputMode.class),
                    "how a json_schema response_format reaches Anthropic: native on Claude 4.5 and later and a forced tool"
                            + " elsewhere (auto), always native, or always the tool")
            .env("LLM_API_STRUCTURED_OUTPUTS").defaultValue(StructuredOutputMode.AUTO);
    static final SettingSpec<URI> OPENAI_BASE_URL = SettingSpec.of(
                    "openai_base_url", ValueTypes.url(),
                    "an OpenAI-compatible upstream (http://vllm:8000, https://api.openai.com), without /v1")
            .env("LLM_OPENAI_BASE_URL");
    static final SettingSpec<String> OPENAI_KEY = SettingSpec.of("openai_api_key", ValueTypes.secret(),
                                                                 "its key, sent as Authorization: Bearer")
            .env("LLM_OPENAI_API_KEY");
    static final SettingSpec<Map<String, String>> OPENAI_MODELS = SettingSpec.of(
                    "openai_models", ValueTypes.pairsOrNames(),
                    "the upstream's models, name or client-name=upstream-name, comma-separated")
            .env("LLM_OPENAI_MODELS").defaultText("its /v1/models");

    /** What the plugin declares. */
    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.backend(
            "api", SpiVersion.MAJOR, SpiVersion.MINOR,
            "the Anthropic Messages API and OpenAI-compatible upstreams over HTTP",
            List.of(ANTHROPIC_KEY, ANTHROPIC_BASE_URL, ANTHROPIC_VERSION, MODEL_ALIASES, DEFAULT_MAX_TOKENS, MAX_RETRIES,
                    CONNECT_TIMEOUT, STRUCTURED_OUTPUTS, OPENAI_BASE_URL, OPENAI_KEY, OPENAI_MODELS));

    ApiSettings {
        aliases = Map.copyOf(aliases);
        openAiModels = Map.copyOf(openAiModels);
    }

    static ApiSettings from(Settings config) {
        Map<String, String> aliases = new LinkedHashMap<>(DEFAULT_ALIASES);
        aliases.putAll(config.find(MODEL_ALIASES).orElse(Map.of()));
        ApiSettings settings = new ApiSettings(
                config.find(ANTHROPIC_KEY),
                config.get(ANTHROPIC_BASE_URL),
                config.get(ANTHROPIC_VERSION),
                aliases,
                config.get(DEFAULT_MAX_TOKENS),
                config.find(MAX_RETRIES),
                config.get(CONNECT_TIMEOUT),
                config.find(OPENAI_BASE_URL),
                config.find(OPENAI_KEY),
                config.find(OPENAI_MODELS).orElse(Map.of()),
                config.get(STRUCTURED_OUTPUTS));
        if (settings.anthropicKey().isEmpty() && settings.openAiBaseUrl().isEmpty()) {
            throw new PluginConfigurationException(
                    "the api backend needs ANTHROPIC_API_KEY (for the Anthropic Messages API) or LLM_OPENAI_BASE_URL"
                            + " (for an OpenAI-compatible upstream such as vLLM, Ollama or OpenAI); set one, or choose"
                            + " another backend with LLM_BACKEND=cli or LLM_BACKEND=mock");
        }
        return settings;
    }

    /** Names whether the keys are set, never their values. */
    @Override
    public String toString() {
        return "ApiSettings[anthropicKey=" + (anthropicKey.isPresent() ? "(set)" : "(none)") + ", anthropicBaseUrl="
                + anthropicBaseUrl + ", openAiBaseUrl=" + openAiBaseUrl + ", openAiKey="
                + (openAiKey.isPresent() ? "(set)" : "(none)") + "]";
    }
}
