package io.llmgateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.llmgateway.testing.Reply.ToolCall;
import io.llmgateway.testing.Reply.Usage;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake Anthropic API through real HTTP: the answers of every reply kind in both modes, what it
 * records, and that it serves many streams at once.
 */
final class TestFakeAnthropicApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String SIMPLE_BODY = """
            {"model":"claude-test","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}""";
    private static final String STREAM_BODY = """
            {"model":"claude-test","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

    private final FakeAnthropicApi api = FakeAnthropicApi.start();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void close() {
        client.close();
        api.close();
    }

    @Test
    void aPlainRequestGetsTheMessageObject() throws Exception {
        api.defaultReply(Reply.text("Hello", " world").withUsage(new Usage(12, 2, 3, 4)));

        HttpResponse<String> response = post(SIMPLE_BODY);
        JsonObject message = Jsons.parseObject(response.body());

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertTrue(message.getString("id").matches("msg_fake_\\d{12}"), message.toString());
        assertEquals("message", message.getString("type"));
        assertEquals("assistant", message.getString("role"));
        assertEquals("claude-test", message.getString("model"));
        assertEquals(1, message.getJsonArray("content").size());
        assertEquals("text", message.getJsonArray("content").getJsonObject(0).getString("type"));
        assertEquals("Hello world", message.getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals("end_turn", message.getString("stop_reason"));
        assertTrue(message.isNull("stop_sequence"));
        JsonObject usage = message.getJsonObject("usage");
        assertEquals(12, usage.getInt("input_tokens"));
        assertEquals(2, usage.getInt("output_tokens"));
        assertEquals(3, usage.getInt("cache_read_input_tokens"));
        assertEquals(4, usage.getInt("cache_creation_input_tokens"));

        String nextId = Jsons.parseObject(post(SIMPLE_BODY).body()).getString("id");
        assertNotEquals(message.getString("id"), nextId, "every message has its own id");
    }

    @Test
    void aStreamedRequestGetsTheEventSequence() throws Exception {
        api.defaultReply(Reply.text("Hel", "lo", "!").withUsage(Usage.of(7, 3)).withPings(true));

        HttpResponse<String> response = post(STREAM_BODY);
        List<Event> events = Event.parse(response.body());

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"), Event.names(events));
        events.forEach(event -> assertEquals(event.name(), event.data().getString("type"), "event name is the data's type"));
        JsonObject message = events.getFirst().data().getJsonObject("message");
        assertEquals("claude-test", message.getString("model"));
        assertEquals(List.of(), message.getJsonArray("content"));
        assertEquals(7, message.getJsonObject("usage").getInt("input_tokens"));
        assertEquals("text", events.get(1).data().getJsonObject("content_block").getString("type"));
        assertEquals("Hello!", Event.text(events));
        JsonObject delta = events.get(7).data();
        assertEquals("end_turn", delta.getJsonObject("delta").getString("stop_reason"));
        assertEquals(3, delta.getJsonObject("usage").getInt("output_tokens"));
    }

    @Test
    void stopReasonsAreReported() throws Exception {
        api.enqueue(Reply.text("cut sh").withStopReason("max_tokens"), Reply.text("up to").withStopSequence("STOP"));

        JsonObject maxTokens = Jsons.parseObject(post(SIMPLE_BODY).body());
        assertEquals("max_tokens", maxTokens.getString("stop_reason"));
        JsonObject delta = Event.parse(post(STREAM_BODY).body()).stream()
                .filter(event -> event.name().equals("message_delta")).findFirst().orElseThrow().data().getJsonObject("delta");
        assertEquals("stop_sequence", delta.getString("stop_reason"));
        assertEquals("STOP", delta.getString("stop_sequence"));
        assertThrows(IllegalArgumentException.class, () -> Reply.text("x").withStopReason("tool_use"));
    }

    @Test
    void deltasAreFlushedOneByOne() throws Exception {
        api.defaultReply(Reply.text("a", "b", "c").withGap(Duration.ofMillis(150)));

        List<Long> arrivals = new ArrayList<>();
        HttpResponse<Stream<String>> response = client.send(request("/v1/messages", STREAM_BODY),
                HttpResponse.BodyHandlers.ofLines());
        response.body().filter(line -> line.contains("\"text_delta\"")).forEach(line -> arrivals.add(System.nanoTime()));

        assertEquals(3, arrivals.size());
        long spread = arrivals.getLast() - arrivals.getFirst();
        assertTrue(spread >= Duration.ofMillis(250).toNanos(), "two gaps between the first and the last: " + spread / 1_000_000 + " ms");
    }

    @Test
    void toolUseIsStreamedAsInputJsonFragments() throws Exception {
        JsonObject input = Jsons.object().add("city", "Zürich").add("days", 3).build();
        ToolCall call = new ToolCall("toolu_1", "weather", input);
        api.enqueue(Reply.toolUse("Let me look.", call), Reply.toolUse("", call));

        List<Event> events = Event.parse(post(STREAM_BODY).body());
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"), Event.names(events));
        JsonObject toolBlock = events.get(4).data();
        assertEquals(1, toolBlock.getInt("index"));
        JsonObject block = toolBlock.getJsonObject("content_block");
        assertEquals("tool_use", block.getString("type"));
        assertEquals("toolu_1", block.getString("id"));
        assertEquals("weather", block.getString("name"));
        assertEquals(JsonObject.EMPTY_JSON_OBJECT, block.getJsonObject("input"));
        String json = events.subList(5, 9).stream()
                .map(event -> event.data().getJsonObject("delta"))
                .peek(delta -> assertEquals("input_json_delta", delta.getString("type")))
                .map(delta -> delta.getString("partial_json"))
                .collect(Collectors.joining());
        assertEquals(input, Jsons.parseObject(json));
        assertEquals("tool_use", events.get(10).data().getJsonObject("delta").getString("stop_reason"));

        JsonObject message = Jsons.parseObject(post(SIMPLE_BODY).body());
        assertEquals("tool_use", message.getString("stop_reason"));
        assertEquals(1, message.getJsonArray("content").size(), "no text block for empty text");
        assertEquals(input, message.getJsonArray("content").getJsonObject(0).getJsonObject("input"));
    }

    @Test
    void httpErrorsCarryTheAnthropicErrorBody() throws Exception {
        record Expected(Reply reply, int status, String type) {
        }
        List<Expected> cases = List.of(
                new Expected(Reply.invalidRequest("messages: too short"), 400, "invalid_request_error"),
                new Expected(Reply.authenticationError(), 401, "authentication_error"),
                new Expected(Reply.rateLimited(7), 429, "rate_limit_error"),
                new Expected(Reply.apiError(), 500, "api_error"),
                new Expected(Reply.overloaded(), 529, "overloaded_error"));
        for (Expected expected : cases) {
            api.enqueue(expected.reply());
            HttpResponse<String> response = post(STREAM_BODY);
            JsonObject body = Jsons.parseObject(response.body());
            assertEquals(expected.status(), response.statusCode());
            assertEquals("error", body.getString("type"));
            assertEquals(expected.type(), body.getJsonObject("error").getString("type"));
            assertFalse(body.getJsonObject("error").getString("message").isEmpty());
        }
        api.enqueue(Reply.rateLimited(7));
        assertEquals("7", post(SIMPLE_BODY).headers().firstValue("retry-after").orElseThrow());
        assertEquals("messages: too short", Jsons.parseObject(post(SIMPLE_BODY, Reply.invalidRequest("messages: too short")).body())
                .getJsonObject("error").getString("message"));
    }

    @Test
    void aStreamCanFailWithAnErrorEvent() throws Exception {
        api.enqueue(Reply.streamError("par", "tial"));

        HttpResponse<String> response = post(STREAM_BODY);
        List<Event> events = Event.parse(response.body());

        assertEquals(200, response.statusCode());
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta", "error"),
                Event.names(events));
        assertEquals("partial", Event.text(events));
        assertEquals("overloaded_error", events.getLast().data().getJsonObject("error").getString("type"));

        api.enqueue(Reply.streamError("no stream to fail"));
        assertError(529, "Overloaded", post(SIMPLE_BODY));
    }

    @Test
    void aCutConnectionBreaksTheResponse() throws Exception {
        api.enqueue(Reply.cut("one", " two"), Reply.cut("one", " two"));

        assertThrows(IOException.class, () -> post(STREAM_BODY));
        assertThrows(IOException.class, () -> post(SIMPLE_BODY));
        assertEquals("Hello from the fake Anthropic API.", Jsons.parseObject(post(SIMPLE_BODY).body())
                .getJsonArray("content").getJsonObject(0).getString("text"), "the fake serves on");
    }

    @Test
    void aDroppedRequestGetsNotEvenAStatusLine() throws Exception {
        api.enqueue(Reply.drop());
        byte[] body = SIMPLE_BODY.getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nhost: fake\r\ncontent-length: " + body.length + "\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            assertEquals(-1, socket.getInputStream().read(), "closed without a byte");
        }
        assertEquals("Hello from the fake Anthropic API.", Jsons.parseObject(post(SIMPLE_BODY).body())
                .getJsonArray("content").getJsonObject(0).getString("text"), "the fake serves on");
    }

    @Test
    void aHungRequestIsNeverAnsweredUntilTheFakeCloses() throws Exception {
        api.enqueue(Reply.hang());
        HttpRequest hung = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/messages"))
                .timeout(Duration.ofMillis(300)).POST(HttpRequest.BodyPublishers.ofString(SIMPLE_BODY)).build();

        assertThrows(HttpTimeoutException.class, () -> client.send(hung, HttpResponse.BodyHandlers.ofString()));
        RecordedRequest recorded = api.awaitRequests(1, TIMEOUT).getFirst();
        assertFalse(recorded.awaitFinished(Duration.ofMillis(100)), "still hanging");

        long closing = System.nanoTime();
        api.close();
        assertTrue(System.nanoTime() - closing < Duration.ofSeconds(3).toNanos(), "close ends the hang");
        assertTrue(recorded.awaitFinished(TIMEOUT));
    }

    @Test
    void aMalformedAnswerIsNotWhatItClaims() throws Exception {
        api.enqueue(Reply.malformed(), Reply.malformed(), Reply.malformed("{\"custom\":"));

        HttpResponse<String> plain = post(SIMPLE_BODY);
        assertEquals(200, plain.statusCode());
        assertNull(Jsons.parseObject(plain.body()));
        HttpResponse<String> stream = post(STREAM_BODY);
        assertTrue(stream.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        assertTrue(stream.body().startsWith("event: message_start\ndata: {"));
        assertThrows(AssertionError.class, () -> Event.parse(stream.body()));
        assertEquals("{\"custom\":", post(SIMPLE_BODY).body());
    }

    @Test
    void queuedRepliesComeFirstThenTheFunctionThenTheDefault() throws Exception {
        api.defaultReply(Reply.text("default"))
                .replyWith(request -> request.lastUserText().contains("special") ? Reply.text("chosen") : null)
                .enqueue(Reply.text("queued 1"), Reply.text("queued 2"));

        assertEquals("queued 1", text(post(userBody("special"))));
        assertEquals("queued 2", text(post(userBody("plain"))));
        assertEquals("chosen", text(post(userBody("special"))));
        assertEquals("default", text(post(userBody("plain"))));
        api.replyWith(null);
        assertEquals("default", text(post(userBody("special"))));
    }

    @Test
    void structuredOutputRequestsGetTheDocument() throws Exception {
        JsonObject document = Jsons.parseObject("{\"city\":\"Oslo\",\"temperature\":3}");
        api.replyWith(FakeAnthropicApi.structuredAnswers(document));

        JsonObject forced = Jsons.parseObject(post("""
                {"model":"claude-test","max_tokens":100,"messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"name":"json_answer","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"tool","name":"json_answer"}}""").body());
        JsonObject any = Jsons.parseObject(post("""
                {"model":"claude-test","max_tokens":100,"messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"name":"search","input_schema":{"type":"object"}},{"name":"answer","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"any"}}""").body());
        JsonObject nativeJson = Jsons.parseObject(post("""
                {"model":"claude-test","max_tokens":100,"messages":[{"role":"user","content":"Hi"}],
                 "output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}}""").body());

        JsonObject toolUse = forced.getJsonArray("content").getJsonObject(0);
        assertEquals("tool_use", toolUse.getString("type"));
        assertEquals("json_answer", toolUse.getString("name"));
        assertEquals(document, toolUse.getJsonObject("input"));
        assertEquals("tool_use", forced.getString("stop_reason"));
        assertEquals("answer", any.getJsonArray("content").getJsonObject(0).getString("name"), "the last tool");
        assertEquals(document, Jsons.parseObject(nativeJson.getJsonArray("content").getJsonObject(0).getString("text")));
        assertEquals("Hello from the fake Anthropic API.", text(post(SIMPLE_BODY)), "others get the default");
    }

    @Test
    void aReplyFunctionThatThrowsIsA500() throws Exception {
        api.replyWith(request -> {
            throw new IllegalStateException("bug in the test");
        });

        HttpResponse<String> response = post(SIMPLE_BODY);

        assertEquals(500, response.statusCode());
        assertTrue(response.body().contains("bug in the test"), response.body());
    }

    @Test
    void everyRequestIsRecorded() throws Exception {
        String body = """
                {"model":"claude-test","max_tokens":32000,"stream":true,
                 "system":[{"type":"text","text":"You are a fake."},{"type":"text","text":"Be brief."}],
                 "messages":[{"role":"user","content":"first"},{"role":"assistant","content":"ok"},
                             {"role":"user","content":[{"type":"text","text":"<system-reminder>x</system-reminder>"},
                                                       {"type":"image","source":{}},{"type":"text","text":"Say hi"}]}]}""";
        Instant before = Instant.now();
        client.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/messages?beta=true"))
                .header("X-Api-Key", "sk-test").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        RecordedRequest recorded = api.awaitRequests(1, TIMEOUT).getFirst();
        assertEquals("POST", recorded.method());
        assertEquals("/v1/messages?beta=true", recorded.path());
        assertEquals("sk-test", recorded.header("x-api-key"));
        assertEquals("sk-test", recorded.header("X-API-KEY"));
        assertEquals(List.of("2023-06-01"), recorded.headers().get("anthropic-version"));
        assertTrue(recorded.headers().keySet().stream().allMatch(name -> name.equals(name.toLowerCase())));
        assertEquals("claude-test", recorded.model());
        assertTrue(recorded.stream());
        assertEquals(32000, recorded.body().getInt("max_tokens"));
        assertEquals(3, recorded.messages().size());
        assertEquals("You are a fake.\nBe brief.", recorded.systemText());
        assertEquals("<system-reminder>x</system-reminder>\nSay hi", recorded.lastUserText());
        assertFalse(recorded.receivedAt().isBefore(before));
        assertTrue(recorded.awaitFinished(TIMEOUT));
        assertFalse(recorded.clientDisconnected());

        post(SIMPLE_BODY.replace("\"max_tokens\"", "\"system\":\"plain system\",\"max_tokens\""));
        RecordedRequest second = api.awaitRequests(2, TIMEOUT).get(1);
        assertEquals("plain system", second.systemText());
        assertEquals("Hi", second.lastUserText());

        api.clearRecorded();
        assertEquals(List.of(), api.requests());
        AssertionError timeout = assertThrows(AssertionError.class, () -> api.awaitRequests(1, Duration.ofMillis(50)));
        assertTrue(timeout.getMessage().contains("expected 1 requests"), timeout.getMessage());
        assertEquals(2, api.requestCount());
    }

    @Test
    void recordingCanBeSwitchedOff() throws Exception {
        api.recording(false);
        assertEquals(200, post(SIMPLE_BODY).statusCode());
        assertEquals(List.of(), api.requests());
        assertEquals(1, api.requestCount());
        api.recording(true);
        post(SIMPLE_BODY);
        assertEquals(1, api.requests().size());
    }

    @Test
    void unknownRequestsAre404sAndRecorded() throws Exception {
        HttpResponse<String> models = client.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> countTokens = client.send(request("/v1/messages/count_tokens?beta=true", SIMPLE_BODY),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(models, countTokens)) {
            assertEquals(404, response.statusCode());
            assertEquals("not_found_error", Jsons.parseObject(response.body()).getJsonObject("error").getString("type"));
        }
        assertEquals(List.of("GET /v1/models", "POST /v1/messages/count_tokens?beta=true"),
                api.awaitRequests(2, TIMEOUT).stream().map(r -> r.method() + " " + r.path()).toList());
    }

    @Test
    void requestsWithoutRequiredFieldsAreRejectedLikeTheRealApi() throws Exception {
        api.enqueue(Reply.text("not for invalid requests"));
        assertError(400, "max_tokens: Field required", post("{\"model\":\"m\",\"messages\":[]}"));
        assertError(400, "model: Field required", post("{\"max_tokens\":5,\"messages\":[]}"));
        assertError(400, "messages: Field required", post("{\"model\":\"m\",\"max_tokens\":5}"));
        assertError(400, "The request body is not valid JSON.", post("{nope"));
        assertEquals("not for invalid requests", text(post(SIMPLE_BODY)), "invalid requests take no queued reply");
        assertEquals(5, api.requests().size());
    }

    @Test
    void aToolSchemaWithADraftSevenTupleIsRejectedLikeTheRealApi() throws Exception {
        String current = """
                {"name":"ok","input_schema":{"type":"object","properties":{"p":{"type":"array","prefixItems":[{}],"default":{"items":[1]}}}}}""";
        String old = """
                {"name":"old","input_schema":{"type":"object","properties":{"p":{"type":"array","items":[{"type":"number"}]}}}}""";

        assertError(400, "tools.1.custom.input_schema: JSON schema is invalid. It must match JSON Schema draft 2020-12"
                + " (https://json-schema.org/draft/2020-12).", post(withTools(current + "," + old)));
        assertEquals(200, post(withTools(current)).statusCode(), "2020-12 tuples, and values that look like old ones, pass");
    }

    private static String withTools(String tools) {
        return SIMPLE_BODY.replace("{\"model\"", "{\"tools\":[" + tools + "],\"model\"");
    }

    @Test
    void aClientThatGoesAwayMidStreamIsRecorded() throws Exception {
        api.defaultReply(Reply.text(Collections.nCopies(100, "word ")).withGap(Duration.ofMillis(20)));

        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            OutputStream out = socket.getOutputStream();
            byte[] body = STREAM_BODY.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.contains("text_delta"); line = in.readLine()) {
                // read up to the first delta
            }
        }

        RecordedRequest recorded = api.awaitRequests(1, TIMEOUT).getFirst();
        assertTrue(recorded.awaitFinished(TIMEOUT), "the fake noticed long before the 2 s the stream takes");
        assertTrue(recorded.clientDisconnected());
    }

    @Test
    void hundredsOfStreamsAreServedAtOnce() throws Exception {
        int streams = 300;
        api.recording(false).defaultReply(Reply.text("a", "b", "c").withGap(Duration.ofMillis(200)));

        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            responses.add(client.sendAsync(request("/v1/messages", STREAM_BODY), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertEquals("abc", Event.text(Event.parse(response.get().body())));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "each stream takes 0.4 s; all together took " + took);
        assertEquals(streams, api.requestCount());
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return client.send(request("/v1/messages", body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body, Reply reply) throws IOException, InterruptedException {
        api.enqueue(reply);
        return post(body);
    }

    private HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String userBody(String text) {
        return SIMPLE_BODY.replace("\"Hi\"", "\"" + text + "\"");
    }

    private static String text(HttpResponse<String> response) {
        return Jsons.parseObject(response.body()).getJsonArray("content").getJsonObject(0).getString("text");
    }

    private static void assertError(int status, String message, HttpResponse<String> response) {
        assertEquals(status, response.statusCode());
        assertEquals(message, Jsons.parseObject(response.body()).getJsonObject("error").getString("message"));
    }

    /** One server-sent event. */
    record Event(String name, JsonObject data) {
        static List<Event> parse(String body) {
            List<Event> events = new ArrayList<>();
            for (String block : body.split("\n\n")) {
                String name = null;
                String data = null;
                for (String line : block.split("\n")) {
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data = line.substring(6);
                    }
                }
                JsonObject json = data == null ? null : Jsons.parseObject(data);
                if (name == null || json == null) {
                    throw new AssertionError("not an event: " + block);
                }
                events.add(new Event(name, json));
            }
            return events;
        }

        static List<String> names(List<Event> events) {
            return events.stream().map(Event::name).toList();
        }

        static String text(List<Event> events) {
            return events.stream().filter(event -> event.name().equals("content_block_delta"))
                    .map(event -> event.data().getJsonObject("delta").getString("text"))
                    .collect(Collectors.joining());
        }
    }
}
