package io.llmgateway.host;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.llmgateway.backend.mock.MockBackendProvider;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every class of bad input gets a 4xx with an OpenAI error naming the field, never a 500 or a stack
 * trace, and the server keeps serving.
 */
@ServerTest
final class TestBadInput {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final TestGateways.LogCapture LOG = new TestGateways.LogCapture();
    private static final Gateway GATEWAY = TestGateways.start(
            TestGateways.config("LLM_BACKEND", "mock", "LLM_MAX_REQUEST_BYTES", "65536"),
            LOG, List.of(new MockBackendProvider()), List.of());

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestBadInput(URI uri) {
        this.uri = uri;
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
    void stillServing() throws Exception {
        HttpResponse<String> response = post(("{\"model\":\"mock\"," + MESSAGES + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode(), is(200));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                arguments("malformed JSON", "{\"model\":", 400, null),
                arguments("words after the object", "{\"model\":\"mock\"," + MESSAGES + "} xyz", 400, null),
                arguments("a second object", "{\"model\":\"mock\"," + MESSAGES + "}{\"model\":\"mock\"}", 400, null),
                arguments("not an object", "[1,2]", 400, null),
                arguments("a string", "\"hello\"", 400, null),
                arguments("empty body", "", 400, null),
                arguments("missing model", "{" + MESSAGES + "}", 400, "model"),
                arguments("model not a string", "{\"model\":7," + MESSAGES + "}", 400, "model"),
                arguments("empty model", "{\"model\":\"\"," + MESSAGES + "}", 400, "model"),
                arguments("missing messages", "{\"model\":\"mock\"}", 400, "messages"),
                arguments("messages not an array", "{\"model\":\"mock\",\"messages\":{}}", 400, "messages"),
                arguments("empty messages", "{\"model\":\"mock\",\"messages\":[]}", 400, "messages"),
                arguments("message not an object", "{\"model\":\"mock\",\"messages\":[\"hi\"]}", 400, "messages[0]"),
                arguments("unknown role", "{\"model\":\"mock\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}",
                          400, "messages[0].role"),
                arguments("missing content",
                          "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\"}]}", 400, "messages[0].content"),
                arguments("content a number",
                          "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", 400, "messages[0].content"),
                arguments("unknown content part",
                          "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"audio\"}]}]}",
                          400, "messages[0].content[0].type"),
                arguments("text part without text",
                          "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}",
                          400, "messages[0].content[0].text"),
                arguments("image in a system message",
                          "{\"model\":\"mock\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\","
                                  + "\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}",
                          400, "messages[0].content[0].type"),
                arguments("tool message without id",
                          "{\"model\":\"mock\",\"messages\":[{\"role\":\"tool\",\"content\":\"42\"}]}",
                          400, "messages[0].tool_call_id"),
                arguments("temperature too high", "{\"model\":\"mock\"," + MESSAGES + ",\"temperature\":2.5}", 400,
                          "temperature"),
                arguments("temperature negative", "{\"model\":\"mock\"," + MESSAGES + ",\"temperature\":-1}", 400,
                          "temperature"),
                arguments("temperature a string", "{\"model\":\"mock\"," + MESSAGES + ",\"temperature\":\"hot\"}", 400,
                          "temperature"),
                arguments("top_p above 1", "{\"model\":\"mock\"," + MESSAGES + ",\"top_p\":1.5}", 400, "top_p"),
                arguments("max_tokens zero", "{\"model\":\"mock\"," + MESSAGES + ",\"max_tokens\":0}", 400, "max_tokens"),
                arguments("max_tokens fraction", "{\"model\":\"mock\"," + MESSAGES + ",\"max_tokens\":1.5}", 400,
                          "max_tokens"),
                arguments("max_completion_tokens huge",
                          "{\"model\":\"mock\"," + MESSAGES + ",\"max_completion_tokens\":99999999999}", 400,
                          "max_completion_tokens"),
                arguments("n above 1", "{\"model\":\"mock\"," + MESSAGES + ",\"n\":2}", 400, "n"),
                arguments("five stop strings", "{\"model\":\"mock\"," + MESSAGES + ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}",
                          400, "stop"),
                arguments("stop a number", "{\"model\":\"mock\"," + MESSAGES + ",\"stop\":3}", 400, "stop"),
                arguments("stream not a boolean", "{\"model\":\"mock\"," + MESSAGES + ",\"stream\":\"yes\"}", 400, "stream"),
                arguments("stream_options without stream",
                          "{\"model\":\"mock\"," + MESSAGES + ",\"stream_options\":{\"include_usage\":true}}", 400,
                          "stream_options"),
                arguments("metadata value not a string",
                          "{\"model\":\"mock\"," + MESSAGES + ",\"metadata\":{\"k\":1}}", 400, "metadata.k"),
                arguments("deeply nested JSON",
                          "{\"model\":\"mock\"," + MESSAGES + ",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 400, null),
                arguments("duplicate keys", "{\"model\":\"mock\",\"model\":\"mock\"," + MESSAGES + "}", 400, null),
                arguments("tools not an array", body(",\"tools\":{}"), 400, "tools"),
                arguments("tool of another type", body(",\"tools\":[{\"type\":\"custom\",\"custom\":{}}]"), 400,
                          "tools[0].type"),
                arguments("tool without a function", body(",\"tools\":[{\"type\":\"function\"}]"), 400,
                          "tools[0].function"),
                arguments("tool name with spaces", body(",\"tools\":[" + tool("get weather") + "]"), 400,
                          "tools[0].function.name"),
                arguments("tool names repeated", body(",\"tools\":[" + tool("f") + "," + tool("f") + "]"), 400,
                          "tools[1].function.name"),
                arguments("tool parameters not an object",
                          body(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":\"x\"}}]"),
                          400, "tools[0].function.parameters"),
                arguments("tool_choice unknown", body(",\"tools\":[" + tool("f") + "],\"tool_choice\":\"any\""), 400,
                          "tool_choice"),
                arguments("tool_choice required without tools", body(",\"tool_choice\":\"required\""), 400,
                          "tool_choice"),
                arguments("tool_choice names another function",
                          body(",\"tools\":[" + tool("f") + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}"),
                          400, "tool_choice.function.name"),
                arguments("parallel_tool_calls not a boolean", body(",\"parallel_tool_calls\":1"), 400,
                          "parallel_tool_calls"),
                arguments("response_format a string", body(",\"response_format\":\"json\""), 400, "response_format"),
                arguments("response_format of unknown type", body(",\"response_format\":{\"type\":\"yaml\"}"), 400,
                          "response_format.type"),
                arguments("json_schema missing", body(",\"response_format\":{\"type\":\"json_schema\"}"), 400,
                          "response_format.json_schema"),
                arguments("json_schema without a name",
                          body(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{}}}"), 400,
                          "response_format.json_schema.name"),
                arguments("json_schema schema not an object",
                          body(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"schema\":[]}}"),
                          400, "response_format.json_schema.schema"),
                arguments("unknown model", "{\"model\":\"gpt-9\"," + MESSAGES + "}", 404, "model"));
    }

    private static String body(String moreFields) {
        return "{\"model\":\"mock\"," + MESSAGES + moreFields + "}";
    }

    private static String tool(String name) {
        return "{\"type\":\"function\",\"function\":{\"name\":\"" + name + "\"}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void rejectedWithAnOpenAiError(String description, String body, int status, String param) throws Exception {
        HttpResponse<String> response = post(body.getBytes(StandardCharsets.UTF_8));

        assertThat(description, response.statusCode(), is(status));
        JsonObject error = error(response);
        if (param == null) {
            assertThat(error.isNull("param"), is(true));
        } else {
            assertThat(error.getString("param"), is(param));
        }
        if (status == 404) {
            assertThat(error.getString("code"), is("model_not_found"));
        }
    }

    @Test
    void invalidUtf8() throws Exception {
        byte[] body = ("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9\"}]}")
                .getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode(), is(400));
        assertThat(error(response).getString("message"), containsString("UTF-8"));
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        byte[] body = ("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode(), is(413));
        assertThat(error(response).getString("code"), is("request_too_large"));
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        String chunk = "x".repeat(8192);
        StringBuilder request = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                                                          + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n");
        for (int i = 0; i < 10; i++) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");

        String response = rawExchange(request.toString());

        assertThat(response, startsWith("HTTP/1.1 413"));
        assertThat(response, containsString("request_too_large"));
    }

    @Test
    void unknownPathIs404() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri.resolve("/v2/nothing")).GET().build(),
                                                  HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode(), is(404));
        assertThat(error(response).getString("code"), is("unknown_url"));
        assertThat(response.headers().firstValue("x-request-id").isPresent(), is(true));
    }

    @Test
    void wrongMethodIs405() throws Exception {
        for (String path : List.of("/v1/chat/completions", "/v1/models", "/v1/models/mock", "/health", "/health/ready",
                                   "/sessions", "/metrics")) {
            String method = path.equals("/v1/chat/completions") ? "GET" : "DELETE";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri.resolve(path))
                                                              .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                                                      HttpResponse.BodyHandlers.ofString());

            assertThat(path, response.statusCode(), is(405));
            assertThat(path, error(response).getString("code"), is("method_not_allowed"));
            assertThat(path, response.headers().firstValue("allow").isPresent(), is(true));
        }
    }

    /**
     * On a server built as {@code Main} builds it: {@code @ServerTest} copies the listener's protocol list
     * into the default socket's, which gives HTTP/1.1 two connection selectors, and a request that neither
     * recognizes is dropped unanswered there (only there).
     */
    @Test
    void malformedHttpGetsAJsonError() throws Exception {
        WebServer server = GatewayServer.configure(WebServer.builder(), GATEWAY).port(0).build().start();
        try {
            String response = rawExchange(server.port(), "GARBAGE\r\n\r\n");

            assertThat(response, startsWith("HTTP/1.1 400"));
            assertThat(response, containsString("\"error\""));
            assertThat(response, not(containsString("Exception")));
        } finally {
            server.stop();
        }
    }

    @Test
    void rejectedRequestsAreLoggedAndCounted() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri.resolve("/v1/chat/completions"))
                .header("x-request-id", "bad-one")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock\",\"messages\":[]}")).build();
        http.send(request, HttpResponse.BodyHandlers.ofString());

        JsonObject line = LOG.lineOf(GATEWAY, "bad-one");
        assertThat(line.getInt("status"), is(400));
        assertThat(line.getString("error_type"), is("invalid_request_error"));
        assertThat(GATEWAY.metrics().prometheus(),
                   containsString("llm_requests_total{backend=\"none\",model=\"none\",scope=\"application\",status=\"400\",tenant=\"none\",}"));
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri.resolve("/v1/chat/completions"))
                                 .header("content-type", "application/json")
                                 .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    private String rawExchange(String request) throws Exception {
        return rawExchange(uri.getPort(), request);
    }

    private static String rawExchange(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) > 0) {
                received.write(buffer, 0, read);
                String text = received.toString(StandardCharsets.UTF_8);
                if (text.contains("\r\n\r\n") && text.contains("}}")) {
                    break;
                }
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    private static JsonObject error(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("content-type").orElseThrow(), startsWith("application/json"));
        JsonObject error = TestGateways.json(response.body()).getJsonObject("error");
        assertThat(error.containsKey("message") && error.containsKey("type") && error.containsKey("param")
                           && error.containsKey("code"), is(true));
        assertThat(error.getString("message"), not(containsString("Exception")));
        return error;
    }
}
