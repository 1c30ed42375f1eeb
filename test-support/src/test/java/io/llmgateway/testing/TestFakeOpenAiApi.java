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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.llmgateway.testing.Reply.ToolCall;
import io.llmgateway.testing.Reply.Usage;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake OpenAI API through real HTTP: completions and chunk streams for every reply kind, the model
 * list, the key check, what it records, and that it serves many streams at once.
 */
final class TestFakeOpenAiApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String CHAT = "/v1/chat/completions";
    private static final String SIMPLE_BODY = """
            {"model":"gpt-test","messages":[{"role":"user","content":"Hi"}]}""";
    private static final String STREAM_BODY = """
            {"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
    private static final String USAGE_STREAM_BODY = """
            {"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":"Hi"}]}""";

    private final FakeOpenAiApi api = FakeOpenAiApi.start();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void close() {
        client.close();
        api.close();
    }

    @Test
    void aPlainRequestGetsTheChatCompletion() throws Exception {
        api.defaultReply(Reply.text("Hello", " world").withUsage(new Usage(12, 2, 3, 4)));

        long before = Instant.now().getEpochSecond();
        HttpResponse<String> response = post(SIMPLE_BODY);
        JsonObject completion = Jsons.parseObject(response.body());

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertTrue(completion.getString("id").matches("chatcmpl-fake_\\d{12}"), completion.toString());
        assertEquals("chat.completion", completion.getString("object"));
        long created = completion.getJsonNumber("created").longValue();
        assertTrue(created >= before && created <= Instant.now().getEpochSecond(), "created: " + created);
        assertEquals("gpt-test", completion.getString("model"), "the request's model");
        assertEquals("fp_fake", completion.getString("system_fingerprint"));
        assertEquals(1, completion.getJsonArray("choices").size());
        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
        assertEquals(0, choice.getInt("index"));
        assertEquals("stop", choice.getString("finish_reason"));
        assertTrue(choice.isNull("logprobs"), "no logprobs unless asked for");
        assertEquals(Jsons.object().add("role", "assistant").add("content", "Hello world").build(), choice.getJsonObject("message"));
        JsonObject usage = completion.getJsonObject("usage");
        assertEquals(19, usage.getInt("prompt_tokens"), "input + cache read + cache creation");
        assertEquals(2, usage.getInt("completion_tokens"));
        assertEquals(21, usage.getInt("total_tokens"));
        assertEquals(3, usage.getJsonObject("prompt_tokens_details").getInt("cached_tokens"));

        String nextId = Jsons.parseObject(post(SIMPLE_BODY).body()).getString("id");
        assertNotEquals(completion.getString("id"), nextId, "every completion has its own id");
    }

    @Test
    void aStreamedRequestGetsChunksEndingInDone() throws Exception {
        api.defaultReply(Reply.text("Hel", "lo", "!"));

        HttpResponse<String> response = post(STREAM_BODY);
        EventStream stream = EventStream.parse(response.body());

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        assertTrue(stream.done());
        List<JsonObject> chunks = stream.chunks();
        assertEquals(5, chunks.size(), "role, three deltas, finish: " + chunks);
        for (JsonObject chunk : chunks) {
            assertEquals("chat.completion.chunk", chunk.getString("object"));
            assertEquals(chunks.getFirst().getString("id"), chunk.getString("id"), "one id for all chunks");
            assertEquals(chunks.getFirst().get("created"), chunk.get("created"));
            assertEquals("gpt-test", chunk.getString("model"));
            assertFalse(chunk.containsKey("usage"), "no usage unless asked for");
            assertEquals(1, chunk.getJsonArray("choices").size());
        }
        assertTrue(chunks.getFirst().getString("id").matches("chatcmpl-fake_\\d{12}"));
        assertEquals(Jsons.object().add("role", "assistant").add("content", "").build(), EventStream.delta(chunks.getFirst()));
        assertEquals(List.of("Hel", "lo", "!"), chunks.subList(1, 4).stream()
                .map(chunk -> EventStream.delta(chunk).getString("content")).toList());
        chunks.subList(0, 4).forEach(chunk -> assertTrue(EventStream.choice(chunk).isNull("finish_reason")));
        JsonObject last = chunks.getLast();
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, EventStream.delta(last));
        assertEquals("stop", EventStream.choice(last).getString("finish_reason"));
        assertEquals("Hello!", stream.text());
    }

    @Test
    void aStreamReportsUsageInAChunkOfItsOwnWhenAskedTo() throws Exception {
        api.defaultReply(Reply.text("a", "b").withUsage(Usage.of(7, 2)));

        EventStream stream = EventStream.parse(post(USAGE_STREAM_BODY).body());

        List<JsonObject> chunks = stream.chunks();
        assertEquals(5, chunks.size(), "role, two deltas, finish, usage");
        chunks.subList(0, 4).forEach(chunk -> assertEquals(JsonValue.NULL, chunk.get("usage"), "usage null in the others"));
        JsonObject usageChunk = chunks.getLast();
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, usageChunk.getJsonArray("choices"));
        assertEquals(7, usageChunk.getJsonObject("usage").getInt("prompt_tokens"));
        assertEquals(2, usageChunk.getJsonObject("usage").getInt("completion_tokens"));
        assertEquals(9, usageChunk.getJsonObject("usage").getInt("total_tokens"));
        assertEquals("stop", EventStream.choice(chunks.get(3)).getString("finish_reason"));
        assertTrue(stream.done());
    }

    @Test
    void logprobsAreSentWhenAskedFor() throws Exception {
        api.defaultReply(Reply.text("Hé", "llo"));

        JsonObject choice = Jsons.parseObject(post(with(SIMPLE_BODY, "\"logprobs\":true")).body())
                .getJsonArray("choices").getJsonObject(0);
        JsonArray content = choice.getJsonObject("logprobs").getJsonArray("content");
        assertEquals(2, content.size(), "one entry per delta");
        JsonObject first = content.getJsonObject(0);
        assertEquals("Hé", first.getString("token"));
        assertEquals(OpenAiBodies.LOGPROB, first.getJsonNumber("logprob").doubleValue());
        assertEquals(List.of(72, 0xc3, 0xa9), first.getJsonArray("bytes").getValuesAs(JsonNumber.class).stream()
                .map(JsonNumber::intValue).toList(), "the token's UTF-8 bytes");
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, first.getJsonArray("top_logprobs"));
        assertTrue(choice.getJsonObject("logprobs").isNull("refusal"));

        List<JsonObject> chunks = EventStream.parse(post(with(STREAM_BODY, "\"logprobs\":true")).body()).chunks();
        assertTrue(EventStream.choice(chunks.getFirst()).isNull("logprobs"), "the role chunk has none");
        assertEquals("llo", EventStream.choice(chunks.get(2)).getJsonObject("logprobs").getJsonArray("content")
                .getJsonObject(0).getString("token"));
        assertTrue(EventStream.choice(chunks.getLast()).isNull("logprobs"), "the finish chunk has none");
    }

    @Test
    void finishReasonsAreOpenAisNames() throws Exception {
        api.enqueue(Reply.text("cut sh").withStopReason("max_tokens"), Reply.text("cut sh").withFinishReason("length"),
                Reply.text("up to").withStopSequence("STOP"), Reply.text("done").withFinishReason("stop"));

        assertEquals("length", finishReason(post(SIMPLE_BODY)));
        assertEquals("length", EventStream.choice(EventStream.parse(post(STREAM_BODY).body()).chunks().getLast())
                .getString("finish_reason"));
        assertEquals("stop", finishReason(post(SIMPLE_BODY)));
        assertEquals("stop", finishReason(post(SIMPLE_BODY)));
        assertThrows(IllegalArgumentException.class, () -> Reply.text("x").withFinishReason("tool_calls"));
    }

    @Test
    void deltasAreFlushedOneByOne() throws Exception {
        api.defaultReply(Reply.text("a", "b", "c").withGap(Duration.ofMillis(150)));

        List<Long> arrivals = new ArrayList<>();
        HttpResponse<Stream<String>> response = client.send(request(CHAT, STREAM_BODY),
                HttpResponse.BodyHandlers.ofLines());
        response.body().filter(line -> line.contains("\"content\":\"") && !line.contains("\"content\":\"\""))
                .forEach(line -> arrivals.add(System.nanoTime()));

        assertEquals(3, arrivals.size());
        long spread = arrivals.getLast() - arrivals.getFirst();
        assertTrue(spread >= Duration.ofMillis(250).toNanos(), "two gaps between the first and the last: " + spread / 1_000_000 + " ms");
    }

    @Test
    void toolCallsAreStreamedAsArgumentFragments() throws Exception {
        JsonObject weather = Jsons.object().add("city", "Zürich").add("days", 3).build();
        JsonObject time = Jsons.object().add("zone", "CET").build();
        ToolCall first = new ToolCall("call_1", "weather", weather);
        ToolCall second = new ToolCall("call_2", "time", time);
        api.enqueue(Reply.toolUse("Let me look.", first, second), Reply.toolUse("", first));

        EventStream stream = EventStream.parse(post(USAGE_STREAM_BODY).body());
        List<JsonObject> chunks = stream.chunks();
        assertEquals("Let me look.", stream.text());
        List<JsonObject> toolCalls = chunks.stream()
                .filter(chunk -> !EventStream.choices(chunk).isEmpty() && EventStream.delta(chunk).containsKey("tool_calls"))
                .map(chunk -> EventStream.delta(chunk).getJsonArray("tool_calls"))
                .peek(calls -> assertEquals(1, calls.size(), "one call piece per chunk"))
                .map(calls -> calls.getJsonObject(0))
                .toList();
        JsonObject start = toolCalls.getFirst();
        assertEquals(0, start.getInt("index"));
        assertEquals("call_1", start.getString("id"));
        assertEquals("function", start.getString("type"));
        assertEquals("weather", start.getJsonObject("function").getString("name"));
        assertEquals("", start.getJsonObject("function").getString("arguments"));
        assertTrue(toolCalls.size() > 4, "the arguments come in fragments: " + toolCalls);
        for (int index = 0; index < 2; index++) {
            int call = index;
            List<JsonObject> pieces = toolCalls.stream().filter(piece -> piece.getInt("index") == call).toList();
            assertTrue(pieces.stream().skip(1).noneMatch(piece -> piece.containsKey("id")), "only the first piece has the id");
            String arguments = pieces.stream().map(piece -> piece.getJsonObject("function").getString("arguments"))
                    .collect(Collectors.joining());
            assertEquals(index == 0 ? weather : time, Jsons.parseObject(arguments));
        }
        assertEquals("call_2", toolCalls.stream().filter(piece -> piece.getInt("index") == 1).findFirst().orElseThrow()
                .getString("id"));
        assertEquals("tool_calls", EventStream.choice(chunks.get(chunks.size() - 2)).getString("finish_reason"));
        assertTrue(stream.done());

        JsonObject message = Jsons.parseObject(post(SIMPLE_BODY).body()).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("message");
        assertTrue(message.isNull("content"), "no text: null content");
        JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
        assertEquals("call_1", call.getString("id"));
        assertEquals("function", call.getString("type"));
        assertEquals("weather", call.getJsonObject("function").getString("name"));
        assertEquals(weather, Jsons.parseObject(call.getJsonObject("function").getString("arguments")));
    }

    @Test
    void aToolCallAnswerEndsWithFinishReasonToolCalls() throws Exception {
        api.enqueue(Reply.toolUse("lookup", Jsons.object().add("q", "x").build()));

        JsonObject choice = Jsons.parseObject(post(SIMPLE_BODY).body()).getJsonArray("choices").getJsonObject(0);

        assertEquals("tool_calls", choice.getString("finish_reason"));
        assertTrue(choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0).getString("id")
                .startsWith("toolu_fake_"), "ids made by ToolCall.of");
    }

    @Test
    void httpErrorsCarryTheOpenAiErrorBody() throws Exception {
        record Expected(Reply reply, int status, String type, String code, String param) {
        }
        List<Expected> cases = List.of(
                new Expected(Reply.invalidRequest("messages: too short").withParam("messages"), 400, "invalid_request_error",
                        null, "messages"),
                new Expected(Reply.authenticationError(), 401, "invalid_request_error", "invalid_api_key", null),
                new Expected(Reply.rateLimited(7), 429, "requests", "rate_limit_exceeded", null),
                new Expected(Reply.rateLimited(7).withCode("insufficient_quota"), 429, "requests", "insufficient_quota", null),
                new Expected(Reply.apiError(), 500, "server_error", null, null),
                new Expected(Reply.overloaded(), 529, "server_error", null, null),
                new Expected(Reply.error(503, "engine_overloaded", "busy"), 503, "engine_overloaded", null, null));
        for (Expected expected : cases) {
            api.enqueue(expected.reply());
            HttpResponse<String> response = post(STREAM_BODY);
            assertEquals(expected.status(), response.statusCode());
            assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
            JsonObject error = Jsons.parseObject(response.body()).getJsonObject("error");
            assertEquals(Set.of("message", "type", "param", "code"), error.keySet());
            assertFalse(error.getString("message").isEmpty());
            assertEquals(expected.type(), error.getString("type"));
            assertEquals(Jsons.stringOrNull(expected.code()), error.get("code"));
            assertEquals(Jsons.stringOrNull(expected.param()), error.get("param"));
        }
        api.enqueue(Reply.rateLimited(7));
        assertEquals("7", post(SIMPLE_BODY).headers().firstValue("retry-after").orElseThrow());
        api.enqueue(Reply.invalidRequest("messages: too short"));
        assertError(400, "messages: too short", post(SIMPLE_BODY));
    }

    @Test
    void aStreamCanFailWithAnErrorEvent() throws Exception {
        api.enqueue(Reply.streamError("par", "tial"));

        HttpResponse<String> response = post(USAGE_STREAM_BODY);
        EventStream stream = EventStream.parse(response.body());

        assertEquals(200, response.statusCode());
        assertFalse(stream.done(), "no [DONE] after an error");
        assertEquals("partial", stream.text());
        JsonObject error = stream.events().getLast().getJsonObject("error");
        assertEquals("Overloaded", error.getString("message"));
        assertEquals("server_error", error.getString("type"));
        assertTrue(error.containsKey("param") && error.containsKey("code"));
        assertTrue(stream.chunks().stream().noneMatch(chunk -> EventStream.choices(chunk).isEmpty()), "no usage chunk");

        api.enqueue(Reply.streamError("no stream to fail"));
        assertError(529, "Overloaded", post(SIMPLE_BODY));
    }

    @Test
    void aCutConnectionBreaksTheResponse() throws Exception {
        api.enqueue(Reply.cut("one", " two"), Reply.cut("one", " two"));

        assertThrows(IOException.class, () -> post(STREAM_BODY));
        assertThrows(IOException.class, () -> post(SIMPLE_BODY));
        assertEquals("Hello from the fake OpenAI API.", content(post(SIMPLE_BODY)), "the fake serves on");
    }

    @Test
    void aHungRequestIsNeverAnsweredUntilTheFakeCloses() throws Exception {
        api.enqueue(Reply.hang());
        HttpRequest hung = HttpRequest.newBuilder(URI.create(api.baseUrl() + CHAT))
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
        assertEquals("application/json", plain.headers().firstValue("content-type").orElseThrow());
        assertNull(Jsons.parseObject(plain.body()));
        HttpResponse<String> stream = post(STREAM_BODY);
        assertTrue(stream.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        assertTrue(stream.body().startsWith("data: {"));
        assertThrows(AssertionError.class, () -> EventStream.parse(stream.body()));
        assertEquals("{\"custom\":", post(SIMPLE_BODY).body());
    }

    @Test
    void queuedRepliesComeFirstThenTheFunctionThenTheDefault() throws Exception {
        api.defaultReply(Reply.text("default"))
                .replyWith(request -> request.lastUserText().contains("special") ? Reply.text("chosen") : null)
                .enqueue(Reply.text("queued 1"), Reply.text("queued 2"));

        assertEquals("queued 1", content(post(userBody("special"))));
        assertEquals("queued 2", content(post(userBody("plain"))));
        assertEquals("chosen", content(post(userBody("special"))));
        assertEquals("default", content(post(userBody("plain"))));
        api.replyWith(null);
        assertEquals("default", content(post(userBody("special"))));
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
    void modelsAreListed() throws Exception {
        api.enqueue(Reply.text("not for listings"));

        JsonObject list = Jsons.parseObject(get("/v1/models").body());
        assertEquals("list", list.getString("object"));
        assertEquals(FakeOpenAiApi.DEFAULT_MODELS, ids(list));
        JsonObject model = list.getJsonArray("data").getJsonObject(0);
        assertEquals(Set.of("id", "object", "created", "owned_by"), model.keySet());
        assertEquals("model", model.getString("object"));
        assertEquals(FakeOpenAiApi.OWNED_BY, model.getString("owned_by"));

        api.models("qwen2.5", "mistral-7b");
        assertEquals(List.of("qwen2.5", "mistral-7b"), ids(Jsons.parseObject(get("/v1/models").body())));
        HttpResponse<String> one = get("/v1/models/mistral-7b");
        assertEquals(200, one.statusCode());
        assertEquals("mistral-7b", Jsons.parseObject(one.body()).getString("id"));
        HttpResponse<String> unknown = get("/v1/models/gpt-4o-mini");
        assertEquals(404, unknown.statusCode());
        assertEquals("model_not_found", Jsons.parseObject(unknown.body()).getJsonObject("error").getString("code"));

        assertEquals("not for listings", content(post(SIMPLE_BODY)), "listings take no queued reply");
    }

    @Test
    void aKeyIsRequiredOnlyWhenOneIsSet() throws Exception {
        assertEquals(200, post(SIMPLE_BODY).statusCode(), "no key needed by default");
        assertEquals(200, send(CHAT, SIMPLE_BODY, "Bearer anything").statusCode());

        api.requireKey("sk-test-0123456789");
        HttpResponse<String> missing = post(SIMPLE_BODY);
        assertEquals(401, missing.statusCode());
        JsonObject missingError = Jsons.parseObject(missing.body()).getJsonObject("error");
        assertEquals("invalid_request_error", missingError.getString("type"));
        assertTrue(missingError.getString("message").startsWith("You didn't provide an API key."), missingError.toString());
        assertTrue(missingError.isNull("code"));

        HttpResponse<String> wrong = send(CHAT, SIMPLE_BODY, "Bearer sk-wrong-0123456789");
        assertEquals(401, wrong.statusCode());
        JsonObject wrongError = Jsons.parseObject(wrong.body()).getJsonObject("error");
        assertEquals("invalid_api_key", wrongError.getString("code"));
        assertTrue(wrongError.getString("message").startsWith("Incorrect API key provided: sk-***"), wrongError.toString());
        assertFalse(wrongError.getString("message").contains("sk-wrong-0123456789"), "the key is masked");
        assertEquals(401, send(CHAT, SIMPLE_BODY, "Basic sk-test-0123456789").statusCode());
        assertEquals(401, send("/v1/models", null, null).statusCode(), "every route needs the key");

        assertEquals(200, send(CHAT, SIMPLE_BODY, "Bearer sk-test-0123456789").statusCode());
        assertEquals(200, send("/v1/models", null, "bearer sk-test-0123456789").statusCode());
        api.requireKey(null);
        assertEquals(200, post(SIMPLE_BODY).statusCode());
    }

    @Test
    void invalidRequestsAreRejectedLikeOpenAi() throws Exception {
        api.enqueue(Reply.text("not for invalid requests"));

        assertError(400, "you must provide a model parameter", post("{\"messages\":[]}"));
        HttpResponse<String> noMessages = post("{\"model\":\"m\"}");
        assertError(400, "Missing required parameter: 'messages'.", noMessages);
        assertEquals("messages", Jsons.parseObject(noMessages.body()).getJsonObject("error").getString("param"));
        assertEquals(400, post("{nope").statusCode());
        assertTrue(post("{nope").body().contains("We could not parse the JSON body of your request."));
        assertError(404, "Invalid URL (POST /v1/completions)", send("/v1/completions", SIMPLE_BODY, null));
        assertError(404, "Invalid URL (GET /v1/chat/completions)", get(CHAT));
        assertEquals("not for invalid requests", content(post(SIMPLE_BODY)), "invalid requests take no queued reply");
        assertEquals(List.of("POST /v1/chat/completions", "POST /v1/chat/completions", "POST /v1/chat/completions",
                        "POST /v1/chat/completions", "POST /v1/completions", "GET /v1/chat/completions",
                        "POST /v1/chat/completions"),
                api.requests().stream().map(r -> r.method() + " " + r.path()).toList(), "all recorded");
    }

    @Test
    void everyRequestIsRecorded() throws Exception {
        String body = """
                {"model":"gpt-test","stream":true,"temperature":0.5,
                 "messages":[{"role":"system","content":"You are a fake."},
                             {"role":"developer","content":[{"type":"text","text":"Be brief."}]},
                             {"role":"user","content":"first"},{"role":"assistant","content":"ok"},
                             {"role":"user","content":[{"type":"text","text":"Look:"},
                                                       {"type":"image_url","image_url":{"url":"data:,"}},
                                                       {"type":"text","text":"Say hi"}]}]}""";
        Instant before = Instant.now();
        client.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + CHAT + "?api-version=1"))
                .header("Authorization", "Bearer sk-test").header("OpenAI-Organization", "org-1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        RecordedRequest recorded = api.awaitRequests(1, TIMEOUT).getFirst();
        assertEquals("POST", recorded.method());
        assertEquals("/v1/chat/completions?api-version=1", recorded.path());
        assertEquals("Bearer sk-test", recorded.header("authorization"));
        assertEquals(List.of("org-1"), recorded.headers().get("openai-organization"));
        assertEquals("gpt-test", recorded.model());
        assertTrue(recorded.stream());
        assertEquals(0.5, recorded.body().getJsonNumber("temperature").doubleValue());
        assertEquals(5, recorded.messages().size());
        assertEquals("You are a fake.\nBe brief.", recorded.systemText(), "system and developer messages");
        assertEquals("Look:\nSay hi", recorded.lastUserText());
        assertFalse(recorded.receivedAt().isBefore(before));
        assertTrue(recorded.awaitFinished(TIMEOUT));
        assertFalse(recorded.clientDisconnected());

        api.clearRecorded();
        assertEquals(List.of(), api.requests());
        assertEquals(1, api.requestCount());
    }

    @Test
    void recordingCanBeSwitchedOff() throws Exception {
        api.recording(false);
        assertEquals(200, post(SIMPLE_BODY).statusCode());
        assertEquals(200, get("/v1/models").statusCode());
        assertEquals(List.of(), api.requests());
        assertEquals(2, api.requestCount());
        api.recording(true);
        post(SIMPLE_BODY);
        assertEquals(1, api.requests().size());
    }

    @Test
    void aClientThatGoesAwayMidStreamIsRecorded() throws Exception {
        api.defaultReply(Reply.text(Collections.nCopies(100, "word ")).withGap(Duration.ofMillis(20)));

        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            OutputStream out = socket.getOutputStream();
            byte[] body = STREAM_BODY.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.contains("\"word \""); line = in.readLine()) {
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
            responses.add(client.sendAsync(request(CHAT, USAGE_STREAM_BODY), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertEquals("abc", EventStream.parse(response.get().body()).text());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "each stream takes 0.4 s; all together took " + took);
        assertEquals(streams, api.requestCount());
    }

    @Test
    void oneReplyServesBothFakes() throws Exception {
        Reply reply = Reply.text("same", " reply");
        try (FakeAnthropicApi anthropic = FakeAnthropicApi.start()) {
            anthropic.enqueue(reply);
            api.enqueue(reply);
            HttpResponse<String> messages = client.send(HttpRequest.newBuilder(URI.create(anthropic.baseUrl() + "/v1/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString(with(SIMPLE_BODY, "\"max_tokens\":10"))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals("same reply", Jsons.parseObject(messages.body()).getJsonArray("content").getJsonObject(0).getString("text"));
            assertEquals("same reply", content(post(SIMPLE_BODY)));
        }
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return client.send(request(CHAT, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(path, null, null);
    }

    /** Sends a POST with the body, or a GET without one, with an {@code Authorization} header unless it is null. */
    private HttpResponse<String> send(String path, String body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** {@return the JSON object with one more member, written first} */
    private static String with(String body, String member) {
        return "{" + member + "," + body.substring(1);
    }

    private static String userBody(String text) {
        return SIMPLE_BODY.replace("\"Hi\"", "\"" + text + "\"");
    }

    private static JsonObject firstChoice(HttpResponse<String> response) {
        return Jsons.parseObject(response.body()).getJsonArray("choices").getJsonObject(0);
    }

    private static String content(HttpResponse<String> response) {
        return firstChoice(response).getJsonObject("message").getString("content");
    }

    private static String finishReason(HttpResponse<String> response) {
        return firstChoice(response).getString("finish_reason");
    }

    private static List<String> ids(JsonObject list) {
        return list.getJsonArray("data").getValuesAs(JsonObject.class).stream().map(model -> model.getString("id")).toList();
    }

    private static void assertError(int status, String message, HttpResponse<String> response) {
        assertEquals(status, response.statusCode());
        assertEquals(message, Jsons.parseObject(response.body()).getJsonObject("error").getString("message"));
    }

    /**
     * A parsed OpenAI event stream: the JSON data events in order, and whether {@code data: [DONE]} ended it.
     *
     * @param events every data event but {@code [DONE]}: chunks, and an error event if the stream failed
     * @param done   whether the stream ended with {@code data: [DONE]}
     */
    record EventStream(List<JsonObject> events, boolean done) {
        /** @throws AssertionError for an event that is not one {@code data:} line of JSON, or one after {@code [DONE]} */
        static EventStream parse(String body) {
            List<JsonObject> events = new ArrayList<>();
            boolean done = false;
            for (String event : body.split("\n\n")) {
                if (done || !event.startsWith("data: ") || event.contains("\n")) {
                    throw new AssertionError("not an event" + (done ? " after [DONE]" : "") + ": " + event);
                }
                String data = event.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                JsonObject json = Jsons.parseObject(data);
                if (json == null) {
                    throw new AssertionError("not JSON: " + event);
                }
                events.add(json);
            }
            return new EventStream(events, done);
        }

        /** {@return the {@code chat.completion.chunk} events} */
        List<JsonObject> chunks() {
            return events.stream().filter(event -> event.containsKey("object")).toList();
        }

        /** {@return the content of every delta, joined} */
        String text() {
            return chunks().stream().filter(chunk -> !choices(chunk).isEmpty())
                    .map(chunk -> delta(chunk).getString("content", ""))
                    .collect(Collectors.joining());
        }

        static JsonArray choices(JsonObject chunk) {
            return chunk.getJsonArray("choices");
        }

        static JsonObject choice(JsonObject chunk) {
            return choices(chunk).getJsonObject(0);
        }

        static JsonObject delta(JsonObject chunk) {
            return choice(chunk).getJsonObject("delta");
        }
    }
}
