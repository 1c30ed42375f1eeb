package io.llmgateway.host;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.SessionInfo;
import io.llmgateway.backend.mock.MockBackendProvider;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * {@code /v1/models}, {@code /health} (with liveness and readiness), {@code /sessions} and {@code /metrics}.
 */
@ServerTest
final class TestObservability {

    private static final ScriptedBackend SESSIONS = new ScriptedBackend("pool", "pool-model");
    private static final Gateway GATEWAY = TestGateways.start(
            TestGateways.config("LLM_BACKEND", "mock", "LLM_BACKENDS", "pool"),
            new TestGateways.LogCapture(),
            List.of(new MockBackendProvider(), SESSIONS.provider()),
            List.of());

    private final Http1Client client;

    TestObservability(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        GatewayServer.configure(server, GATEWAY);
    }

    @AfterAll
    static void close() {
        GATEWAY.close();
    }

    @AfterEach
    void healthy() {
        SESSIONS.health(BackendHealth.up());
        SESSIONS.sessions(List.of());
    }

    @Test
    void modelsOfEveryEnabledBackend() {
        JsonObject list = get("/v1/models", Status.OK_200);

        assertThat(list.getString("object"), is("list"));
        List<String> ids = list.getJsonArray("data").getValuesAs(JsonObject.class).stream()
                .map(model -> model.getString("id")).toList();
        assertThat(ids, hasItems("claude-sonnet", "claude-opus", "claude-haiku", "mock", "pool-model"));
        JsonObject first = list.getJsonArray("data").getJsonObject(0);
        assertThat(first.getString("object"), is("model"));
        assertThat(first.containsKey("created") && first.containsKey("owned_by"), is(true));
    }

    @Test
    void oneModel() {
        assertThat(get("/v1/models/pool-model", Status.OK_200).getString("owned_by"), is("pool"));
        assertThat(get("/v1/models/nope", Status.NOT_FOUND_404).getJsonObject("error").getString("code"),
                   is("model_not_found"));
    }

    @Test
    void healthShowsEveryBackend() {
        JsonObject health = get("/health", Status.OK_200);

        assertThat(health.getString("status"), is("UP"));
        assertThat(health.getString("default_backend"), is("mock"));
        JsonArray backends = health.getJsonArray("backends");
        assertThat(backends.getJsonObject(0).getString("type"), is("mock"));
        assertThat(backends.getJsonObject(0).getBoolean("default"), is(true));
        assertThat(backends.getJsonObject(1).getString("status"), is("UP"));
    }

    @Test
    void aDownBackendMakesHealthDownButNotReadinessOfTheDefault() {
        SESSIONS.health(new BackendHealth(BackendHealth.State.DOWN, "claude not installed"));

        JsonObject health = get("/health", Status.SERVICE_UNAVAILABLE_503);
        assertThat(health.getString("status"), is("DOWN"));
        assertThat(health.getJsonArray("backends").getJsonObject(1).getString("detail"), is("claude not installed"));
        assertThat(get("/health/ready", Status.OK_200).getString("status"), is("UP"));
        assertThat(get("/health/live", Status.OK_200).getString("status"), is("UP"));
    }

    @Test
    void sessionsOfEveryBackend() {
        Instant created = Instant.parse("2026-01-02T03:04:05Z");
        SESSIONS.sessions(List.of(
                new SessionInfo("s-1", "idle", OptionalLong.of(4242), "claude-sonnet", "warm", created,
                                Optional.of(created.plusSeconds(60)), 3, 2),
                new SessionInfo("s-2", "starting", OptionalLong.empty(), "claude-sonnet", "overflow", created,
                                Optional.empty(), 0, 0)));

        JsonArray sessions = get("/sessions", Status.OK_200).getJsonArray("sessions");

        JsonObject first = sessions.getJsonObject(0);
        assertThat(first.getString("id"), is("s-1"));
        assertThat(first.getString("backend"), is("pool"));
        assertThat(first.getString("state"), is("idle"));
        assertThat(first.getInt("pid"), is(4242));
        assertThat(first.getString("origin"), is("warm"));
        assertThat(first.getString("created"), is("2026-01-02T03:04:05Z"));
        assertThat(first.getString("last_used"), is("2026-01-02T03:05:05Z"));
        assertThat(first.getInt("requests"), is(3));
        assertThat(first.getInt("turns_held"), is(2));
        assertThat(sessions.getJsonObject(1).isNull("pid"), is(true));
        assertThat(prometheus(), containsString("llm_sessions_total{scope=\"application\",status=\"starting\",} 1.0"));
    }

    @Test
    void metricsArePresentFromStartAndCount() {
        String before = prometheus();
        assertThat(before, containsString("# TYPE llm_requests_total counter"));
        assertThat(before, containsString("# TYPE llm_request_duration_seconds histogram"));
        assertThat(before, containsString("llm_request_duration_seconds_bucket{backend=\"pool\",model=\"pool-model\""));
        assertThat(before, containsString("llm_cache_hits_total{model=\"none\",scope=\"application\",tenant=\"none\",} 0.0"));
        assertThat(before, containsString("llm_cache_misses_total{model=\"none\",scope=\"application\",tenant=\"none\",} 0.0"));
        for (String state : List.of("starting", "idle", "busy", "stopping", "failed")) {
            assertThat(before, containsString("llm_sessions_total{scope=\"application\",status=\"" + state + "\",}"));
        }

        for (int i = 0; i < 3; i++) {
            ClientResponseTyped<String> response = client.post("/v1/chat/completions")
                    .submit("{\"model\":\"claude-haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                            String.class);
            assertThat(response.status(), is(Status.OK_200));
        }

        String after = prometheus();
        assertThat(after, containsString(
                "llm_requests_total{backend=\"mock\",model=\"claude-haiku\",scope=\"application\",status=\"200\",tenant=\"none\",} 3.0"));
        assertThat(after, containsString(
                "llm_request_duration_seconds_count{backend=\"mock\",model=\"claude-haiku\",scope=\"application\",} 3.0"));
    }

    private String prometheus() {
        ClientResponseTyped<String> response = client.get("/metrics").request(String.class);
        assertThat(response.status(), is(Status.OK_200));
        assertThat(response.headers().contentType().orElseThrow().text(), containsString("text/plain"));
        return response.entity();
    }

    private JsonObject get(String path, Status expected) {
        ClientResponseTyped<String> response = client.get(path).request(String.class);
        assertThat(path, response.status(), is(expected));
        return TestGateways.json(response.entity());
    }
}
