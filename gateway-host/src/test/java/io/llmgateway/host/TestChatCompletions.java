package io.llmgateway.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.MiddlewareProvider;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.TokenUsage;
import io.llmgateway.backend.mock.MockBackendProvider;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code POST /v1/chat/completions} through a real socket: the JSON and streamed answers, errors
 * before and after a stream starts, middleware, routing and client disconnects.
 */
@ServerTest
final class TestChatCompletions {

    private static final ScriptedBackend SCRIPTED = new ScriptedBackend("scripted", "scripted-model", "claude-sonnet");
    private static final TestGateways.LogCapture LOG = new TestGateways.LogCapture();
    private static final Gateway GATEWAY = TestGateways.start(
            TestGateways.config("LLM_BACKEND", "mock", "LLM_BACKENDS", "mock,scripted", "LLM_REQUEST_TIMEOUT", "42"),
            LOG,
            List.of(new MockBackendProvider(), SCRIPTED.provider()),
            List.of(new TenantFromHeader()));

    private final Http1Client client;
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestChatCompletions(Http1Client client, URI uri) {
        this.client = client;
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

    @BeforeEach
    void resetScript() {
        SCRIPTED.script((exchange, sink) -> {
            sink.emit(new ChatDelta.Text("scripted answer"));
            sink.emit(new ChatDelta.Finish(FinishReason.STOP));
            sink.emit(new ChatDelta.Usage(TokenUsage.of(5, 2)));
        });
    }

    @Test
    void completionHasOpenAiShape() {
        ClientResponseTyped<String> response = post(chat("mock", "Hello there", ""));

        assertThat(response.status(), is(Status.OK_200));
        assertThat(response.headers().contentType().orElseThrow().text(), startsWith("application/json"));
        JsonObject body = TestGateways.json(response.entity());
        assertThat(body.getString("id"), startsWith("chatcmpl-"));
        assertThat(body.getString("object"), is("chat.completion"));
        assertThat(body.getString("model"), is("mock"));
        long now = System.currentTimeMillis() / 1000;
        assertThat(Math.abs(body.getJsonNumber("created").longValue() - now) < 60, is(true));
        JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getInt("index"), is(0));
        assertThat(choice.getString("finish_reason"), is("stop"));
        assertThat(choice.getJsonObject("message").getString("role"), is("assistant"));
        assertThat(choice.getJsonObject("message").getString("content"), is("Mock answer from mock to: Hello there"));
        JsonObject usage = body.getJsonObject("usage");
        assertThat(usage.getInt("total_tokens"), is(usage.getInt("prompt_tokens") + usage.getInt("completion_tokens")));
        assertThat(usage.getInt("completion_tokens"), is(8));
    }

    @Test
    void streamSendsEachChunkAsTheBackendProducesIt() throws Exception {
        CountDownLatch firstChunkSeen = new CountDownLatch(1);
        SCRIPTED.script((exchange, sink) -> {
            sink.emit(new ChatDelta.Text("Hel"));
            // the rest only comes once the client has seen the first chunk: proof that nothing is buffered
            if (!firstChunkSeen.await(10, TimeUnit.SECONDS)) {
                throw GatewayException.timeout("the client never saw the first chunk");
            }
            sink.emit(new ChatDelta.Text("lo"));
            sink.emit(new ChatDelta.Finish(FinishReason.STOP));
            sink.emit(new ChatDelta.Usage(TokenUsage.of(7, 2)));
        });

        HttpResponse<Stream<String>> response = http.send(request(chat("scripted-model", "hi", streaming(true))),
                                                          HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode(), is(200));
        assertThat(response.headers().firstValue("content-type").orElseThrow(), startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        Iterator<String> lines = response.body().iterator();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                continue;
            }
            events.add(line);
            if (line.contains("\"content\":\"Hel\"")) {
                firstChunkSeen.countDown();
            }
        }

        assertThat(events, hasSize(6));
        JsonObject role = event(events.get(0));
        assertThat(role.getString("object"), is("chat.completion.chunk"));
        assertThat(delta(role).getString("role"), is("assistant"));
        assertThat(delta(event(events.get(1))).getString("content"), is("Hel"));
        assertThat(delta(event(events.get(2))).getString("content"), is("lo"));
        JsonObject finish = event(events.get(3));
        assertThat(finish.getJsonArray("choices").getJsonObject(0).getString("finish_reason"), is("stop"));
        assertThat(finish.isNull("usage"), is(true));
        JsonObject usage = event(events.get(4));
        assertThat(usage.getJsonArray("choices"), hasSize(0));
        assertThat(usage.getJsonObject("usage").getInt("prompt_tokens"), is(7));
        assertThat(usage.getJsonObject("usage").getInt("total_tokens"), is(9));
        assertThat(events.get(5), is("data: [DONE]"));
        assertThat("every chunk of one answer shares its id",
                   events.subList(0, 5).stream().map(e -> event(e).getString("id")).distinct().count(), is(1L));
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsage() throws Exception {
        List<String> events = streamEvents(chat("mock", "one two", streaming(false)));

        assertThat(events.getLast(), is("data: [DONE]"));
        assertThat(events.stream().anyMatch(e -> e.contains("usage")), is(false));
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(1, events.size() - 2)) {
            text.append(delta(event(e)).getString("content"));
        }
        assertThat(text.toString(), is("Mock answer from mock to: one two"));
    }

    @Test
    void errorBeforeTheStreamStartsIsAnHttpError() throws Exception {
        SCRIPTED.script((exchange, sink) -> {
            throw GatewayException.rateLimited("slow down", "requests", Duration.ofMillis(2500));
        });

        HttpResponse<String> response = http.send(request(chat("scripted-model", "hi", streaming(true))),
                                                   HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode(), is(429));
        assertThat(response.headers().firstValue("retry-after").orElseThrow(), is("3"));
        JsonObject error = TestGateways.json(response.body()).getJsonObject("error");
        assertThat(error.getString("message"), is("slow down"));
        assertThat(error.getString("type"), is("requests"));
        assertThat(error.getString("code"), is("rate_limit_exceeded"));
        assertThat(error.isNull("param"), is(true));
    }

    @Test
    void errorAfterTheStreamStartedIsAnErrorEvent() throws Exception {
        SCRIPTED.script((exchange, sink) -> {
            sink.emit(new ChatDelta.Text("partial"));
            throw GatewayException.badGateway("upstream went away");
        });

        List<String> events = streamEvents(chat("scripted-model", "hi", streaming(true)));

        assertThat(events, hasSize(3));
        assertThat(delta(event(events.get(1))).getString("content"), is("partial"));
        JsonObject error = event(events.get(2)).getJsonObject("error");
        assertThat(error.getString("message"), is("upstream went away"));
        assertThat(error.getString("code"), is("bad_gateway"));
        assertThat(events.contains("data: [DONE]"), is(false));
    }

    @Test
    void backendFaultIsA500WithoutInternals() {
        SCRIPTED.script((exchange, sink) -> {
            throw new IllegalStateException("secret internal detail");
        });

        ClientResponseTyped<String> response = post(chat("scripted-model", "hi", ""));

        assertThat(response.status(), is(Status.INTERNAL_SERVER_ERROR_500));
        String requestId = response.headers().first(io.helidon.http.HeaderNames.create("x-request-id")).orElseThrow();
        JsonObject error = TestGateways.json(response.entity()).getJsonObject("error");
        assertThat(error.getString("type"), is("server_error"));
        assertThat(error.getString("message"), containsString(requestId));
        assertThat(response.entity(), not(containsString("secret")));
        assertThat(post(chat("mock", "still serving?", "")).status(), is(Status.OK_200));
    }

    @Test
    void requestIdIsEchoedOrCreated() {
        ClientResponseTyped<String> echoed = client.post("/v1/chat/completions")
                .header(io.helidon.http.HeaderNames.create("x-request-id"), "trace-123")
                .submit(chat("mock", "hi", ""), String.class);
        ClientResponseTyped<String> created = post(chat("mock", "hi", ""));

        assertThat(echoed.headers().first(io.helidon.http.HeaderNames.create("x-request-id")).orElseThrow(),
                   is("trace-123"));
        assertThat(created.headers().first(io.helidon.http.HeaderNames.create("x-request-id")).orElseThrow(),
                   startsWith("req_"));
        assertThat(LOG.lineOf(GATEWAY, "trace-123").getInt("status"), is(200));
    }

    @Test
    void middlewareSetsTenantAndHeadersForJsonAndStreams() throws Exception {
        HttpRequest json = HttpRequest.newBuilder(uri.resolve("/v1/chat/completions"))
                .header("x-test-tenant", "team-a")
                .header("x-request-id", "tenant-json")
                .POST(HttpRequest.BodyPublishers.ofString(chat("mock", "hi", ""))).build();
        HttpRequest stream = HttpRequest.newBuilder(uri.resolve("/v1/chat/completions"))
                .header("x-test-tenant", "team-b")
                .POST(HttpRequest.BodyPublishers.ofString(chat("mock", "hi", streaming(false)))).build();

        HttpResponse<String> jsonResponse = http.send(json, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> streamResponse = http.send(stream, HttpResponse.BodyHandlers.ofString());

        assertThat(jsonResponse.headers().firstValue("x-test-tenant").orElseThrow(), is("team-a"));
        assertThat(streamResponse.headers().firstValue("x-test-tenant").orElseThrow(), is("team-b"));
        JsonObject line = LOG.lineOf(GATEWAY, "tenant-json");
        assertThat(line.getString("tenant"), is("team-a"));
        assertThat(line.getString("seen_by"), is("tenant-middleware"));
        assertThat("a duration is a number of ms", line.getJsonNumber("middleware_ms").doubleValue(), is(2.0));
        assertThat(GATEWAY.metrics().prometheus(), containsString(
                "llm_requests_total{backend=\"mock\",model=\"mock\",scope=\"application\",status=\"200\",tenant=\"team-a\",} 1.0"));
    }

    @Test
    void aPluginHeaderThatCouldSplitTheResponseIsRefused() {
        SCRIPTED.script((exchange, sink) -> exchange.responseHeader("x-evil", "ok\r\nset-cookie: stolen=1"));

        ClientResponseTyped<String> response = post(chat("scripted-model", "hi", ""));

        assertThat(response.status(), is(Status.INTERNAL_SERVER_ERROR_500));
        assertThat(response.headers().contains(io.helidon.http.HeaderNames.create("set-cookie")), is(false));
    }

    @Test
    void routesByModelWithTheDefaultBackendFirst() {
        post(chat("scripted-model", "to scripted", ""));
        int servedBefore = SCRIPTED.served().size();

        ClientResponseTyped<String> shared = post(chat("claude-sonnet", "both serve this", ""));

        assertThat(SCRIPTED.served().size(), is(servedBefore));
        assertThat(TestGateways.json(shared.entity()).getJsonArray("choices").getJsonObject(0)
                           .getJsonObject("message").getString("content"), startsWith("Mock answer"));
        assertThat(SCRIPTED.served().getLast().backend(), is("scripted"));
    }

    @Test
    void backendGetsTheDeadlineAndRequest() {
        post(chat("scripted-model", "deadline?", ""));

        var exchange = SCRIPTED.served().getLast();
        assertThat(Duration.between(exchange.received(), exchange.deadline()), is(Duration.ofSeconds(42)));
        assertThat(exchange.request().messages().getFirst().text(), is("deadline?"));
        assertThat(exchange.clientAddress(), is("127.0.0.1"));
    }

    @Test
    void toolCallFragmentsAreAssembled() {
        SCRIPTED.script((exchange, sink) -> {
            sink.emit(new ChatDelta.ToolCallFragment(0, Optional.of("call_1"), Optional.of("lookup"), "{\"city\":"));
            sink.emit(new ChatDelta.ToolCallFragment(0, Optional.empty(), Optional.empty(), "\"Oslo\"}"));
            sink.emit(new ChatDelta.Finish(FinishReason.TOOL_CALLS));
            sink.emit(new ChatDelta.Usage(TokenUsage.of(10, 6)));
        });

        JsonObject message = TestGateways.json(post(chat("scripted-model", "weather", "")).entity())
                .getJsonArray("choices").getJsonObject(0).getJsonObject("message");

        assertThat(message.isNull("content"), is(true));
        JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
        assertThat(call.getString("id"), is("call_1"));
        assertThat(call.getString("type"), is("function"));
        assertThat(call.getJsonObject("function").getString("name"), is("lookup"));
        assertThat(call.getJsonObject("function").getString("arguments"), is("{\"city\":\"Oslo\"}"));
    }

    @Test
    void upstreamObjectsArePassedThroughAsTheyAre() throws Exception {
        SCRIPTED.script((exchange, sink) -> {
            if (exchange.request().stream()) {
                sink.emit(new ChatDelta.Passthrough(TestGateways.json(
                        "{\"id\":\"up-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                                + "\"delta\":{\"content\":\"hi\"},\"logprobs\":{\"content\":[]}}]}")));
            } else {
                sink.emit(new ChatDelta.Passthrough(TestGateways.json(
                        "{\"id\":\"up-2\",\"object\":\"chat.completion\",\"system_fingerprint\":\"fp_x\"}")));
            }
            sink.emit(new ChatDelta.Finish(FinishReason.STOP));
            sink.emit(new ChatDelta.Usage(TokenUsage.of(3, 1)));
        });

        List<String> events = streamEvents(chat("scripted-model", "hi", streaming(true)));
        JsonObject whole = TestGateways.json(post(chat("scripted-model", "hi", "")).entity());

        assertThat(events, hasSize(2));
        assertThat(event(events.get(0)).getString("id"), is("up-1"));
        assertThat(events.get(0), containsString("\"logprobs\":{\"content\":[]}"));
        assertThat(events.get(1), is("data: [DONE]"));
        assertThat(whole.getString("id"), is("up-2"));
        assertThat(whole.getString("system_fingerprint"), is("fp_x"));
    }

    @Test
    void clientDisconnectStopsTheBackendAndTheServerKeepsServing() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        SCRIPTED.script((exchange, sink) -> {
            try {
                for (int i = 0; i < 10_000; i++) {
                    sink.emit(new ChatDelta.Text("word "));
                    Thread.sleep(5);
                }
            } catch (ClientDisconnectedException e) {
                stopped.countDown();
                throw e;
            }
        });

        String body = chat("scripted-model", "talk forever", streaming(false));
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                              .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.contains("word")) {
                // read until the first content chunk arrived
            }
        }

        assertThat("the backend saw the disconnect", stopped.await(10, TimeUnit.SECONDS), is(true));
        resetScript();
        assertThat(post(chat("scripted-model", "next", "")).status(), is(Status.OK_200));
    }

    @Test
    void requestLogHasOneLineWithoutPromptText() {
        ClientResponseTyped<String> response = client.post("/v1/chat/completions")
                .header(io.helidon.http.HeaderNames.create("x-request-id"), "log-check")
                .submit(chat("mock", "my secret prompt", ""), String.class);
        assertThat(response.status(), is(Status.OK_200));

        JsonObject line = LOG.lineOf(GATEWAY, "log-check");
        List<String> lines = LOG.lines(GATEWAY).stream().filter(l -> l.contains("\"log-check\"")).toList();
        assertThat(lines, hasSize(1));
        assertThat(lines.getFirst(), not(containsString("secret")));
        assertThat(line.getString("model"), is("mock"));
        assertThat(line.getString("backend"), is("mock"));
        assertThat(line.getInt("status"), is(200));
        assertThat(line.getJsonNumber("latency_ms").doubleValue(), greaterThan(0.0));
        assertThat(line.containsKey("ttft_ms"), is(true));
        assertThat(line.getInt("completion_tokens"), greaterThan(0));
        assertThat(line.containsKey("time"), is(true));
    }

    private ClientResponseTyped<String> post(String body) {
        return client.post("/v1/chat/completions").submit(body, String.class);
    }

    private HttpRequest request(String body) {
        return HttpRequest.newBuilder(uri.resolve("/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private List<String> streamEvents(String body) throws Exception {
        HttpResponse<Stream<String>> response = http.send(request(body), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode(), is(200));
        return response.body().filter(line -> !line.isEmpty()).toList();
    }

    private static String chat(String model, String prompt, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]" + extra + "}";
    }

    private static String streaming(boolean includeUsage) {
        return ",\"stream\":true" + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "");
    }

    private static JsonObject event(String line) {
        assertThat(line, startsWith("data: "));
        return TestGateways.json(line.substring("data: ".length()));
    }

    private static JsonObject delta(JsonObject chunk) {
        return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    }

    /** Takes the tenant from a test header, echoes it as a response header, and annotates the log line. */
    private static final class TenantFromHeader implements MiddlewareProvider {
        @Override
        public String name() {
            return "tenant-from-header";
        }

        @Override
        public int weight() {
            return 100;
        }

        @Override
        public Optional<Middleware> create(PluginContext context) {
            return Optional.of((exchange, sink, next) -> {
                exchange.header("x-test-tenant").ifPresent(tenant -> {
                    exchange.tenant(tenant);
                    exchange.responseHeader("x-test-tenant", tenant);
                    exchange.annotate("seen_by", "tenant-middleware");
                    exchange.annotateMillis("middleware_ms", Duration.ofMillis(2));
                });
                next.proceed(sink);
            });
        }
    }
}
