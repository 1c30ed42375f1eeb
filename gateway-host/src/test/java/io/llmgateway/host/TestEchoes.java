package io.llmgateway.host;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.GatewayException;
import io.llmgateway.backend.mock.MockBackendProvider;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * What the gateway echoes back: a client's huge values are cut in error bodies and log lines, and a
 * configured secret never reaches a client, even when an upstream's error message repeats it.
 */
final class TestEchoes {

    private static final String KEY = "sk-ant-api03-Zq8xVb2NmK4pLw7RtY1uE5oI9aS3dF6gH0jJ";

    @Test
    void aMegabyteModelNameIsCutInTheErrorAndTheLogLine() {
        String model = "m".repeat(1 << 20);
        try (RunningGateway gateway = RunningGateway.start(Map.of("LLM_BACKEND", "mock"),
                                                           List.of(new MockBackendProvider()), List.of())) {
            HttpResponse<String> response = gateway.chat("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
                                                                 + "\"content\":\"hi\"}]}", "x-request-id", "huge-model");
            assertThat(response.statusCode(), is(404));
            assertThat(response.body().length(), lessThan(2000));
            JsonObject line = gateway.log().lineOf(gateway.gateway(), "huge-model");
            assertThat(line.toString().length(), lessThan(1000));
        }
    }

    @Test
    void anUpstreamEchoingTheGatewaysKeyHasItRedacted() {
        ScriptedBackend backend = new ScriptedBackend("scripted", "scripted-model");
        backend.script((exchange, sink) -> {
            throw GatewayException.badGateway("The upstream refused the request: invalid x-api-key " + KEY
                                                      + " (also seen as " + KEY.substring(0, 20) + "...)");
        });
        try (RunningGateway gateway = RunningGateway.start(Map.of("LLM_BACKEND", "scripted", "ANTHROPIC_API_KEY", KEY),
                                                           List.of(backend.provider()), List.of())) {
            HttpResponse<String> response = gateway.chat("{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\","
                                                                 + "\"content\":\"hi\"}]}");
            assertThat(response.statusCode(), is(502));
            assertThat(response.body(), not(containsString(KEY.substring(0, 12))));
            assertThat(response.body(), containsString("[redacted]"));

            HttpResponse<String> streamed = gateway.chat("{\"model\":\"scripted-model\",\"stream\":true,\"messages\":"
                                                                 + "[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(streamed.body(), not(containsString(KEY.substring(0, 12))));
        }
    }
}
