package io.llmgateway.backend.api;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.ModelInfo;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The models an OpenAI-compatible upstream serves: configured ({@code LLM_OPENAI_MODELS}), or asked of
 * its {@code GET /v1/models} at start and every few minutes after (an upstream that is down at start is
 * picked up once it answers).
 */
final class OpenAiModels {

    static final Duration REFRESH = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final JsonProvider JSON = JsonProvider.provider();

    private final UpstreamClient client;
    private final Duration connectTimeout;
    private final boolean configured;
    private final System.Logger log;
    private volatile Map<String, String> upstreamNames;
    private volatile List<ModelInfo> listed;
    private volatile String problem;

    OpenAiModels(UpstreamClient client, Map<String, String> configured, Duration connectTimeout, System.Logger log) {
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.configured = !configured.isEmpty();
        this.log = log;
        this.upstreamNames = Map.copyOf(configured);
        this.listed = infos(configured.keySet().stream().map(id -> new Listed(id, 0)).toList());
    }

    /** Asks the upstream for its models, unless they are configured. */
    void refresh() {
        if (configured) {
            return;
        }
        String why;
        Throwable failure;
        try {
            UpstreamClient.Document response = client.get("/v1/models", TIMEOUT);
            if (response.status() != 200) {
                noteProblem("it answered with status " + response.status(), null);
                return;
            }
            List<Listed> models = parse(response.body());
            Map<String, String> names = new LinkedHashMap<>();
            models.forEach(model -> names.put(model.id(), model.id()));
            boolean changed = !names.equals(upstreamNames);
            upstreamNames = names;
            listed = infos(models);
            problem = null;
            if (changed) {
                log.log(INFO, () -> "OpenAI-compatible upstream " + client.base() + " serves " + names.keySet());
            }
            return;
        } catch (UpstreamBody.DeadlinePassed e) {
            why = "it did not answer within " + TIMEOUT.toSeconds() + " s";
            failure = e;
        } catch (UpstreamClient.NotAnswered e) {
            why = ConnectionFailures.notAnswered("it", e, connectTimeout).getMessage();
            failure = e.getCause();
        } catch (IOException e) {
            why = "its answer could not be read";
            failure = e;
        } catch (RuntimeException e) {
            why = "its answer is not a list of models";
            failure = e;
        }
        noteProblem(why, failure);
    }

    private void noteProblem(String why, Throwable failure) {
        problem = "cannot list the models of " + client.base() + "/v1/models: " + lowerFirst(why)
                + "; set LLM_OPENAI_MODELS to list them yourself";
        log.log(WARNING, problem + (failure == null ? "" : " (" + ConnectionFailures.trace(failure) + ")"));
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    /** The upstream's name for a model a client asked for. */
    Optional<String> upstreamName(String model) {
        return Optional.ofNullable(upstreamNames.get(model));
    }

    List<ModelInfo> listed() {
        return listed;
    }

    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private List<ModelInfo> infos(List<Listed> models) {
        String owner = "openai-compatible (" + client.base().getHost() + ")";
        return models.stream().map(model -> new ModelInfo(model.id(), owner, model.created())).toList();
    }

    private static List<Listed> parse(String body) {
        JsonObject list;
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            list = reader.readObject();
        }
        JsonArray data = list.getJsonArray("data");
        if (data == null) {
            throw new IllegalArgumentException("no 'data' in the answer");
        }
        return data.stream()
                .filter(JsonObject.class::isInstance)
                .map(JsonValue::asJsonObject)
                .filter(model -> model.containsKey("id"))
                .map(model -> new Listed(model.getString("id"),
                                         model.get("created") instanceof JsonNumber created ? created.longValue() : 0))
                .toList();
    }

    private record Listed(String id, long created) {
    }
}
