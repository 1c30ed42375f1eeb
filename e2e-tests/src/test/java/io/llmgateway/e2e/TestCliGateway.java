package io.llmgateway.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.Reply;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cli backend end to end: the built distribution with the real {@code claude} binary (pinned npm
 * version) in its pool, talking to a fake Anthropic Messages API on loopback that records what it
 * receives, and the OpenAI Java SDK as the client.
 */
final class TestCliGateway {

    private static final String SLOW = "[slow]";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FakeAnthropicApi api;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        api = FakeAnthropicApi.start();
        // a prompt with the marker is answered slowly, so tests can act while a turn is streaming
        api.replyWith(request -> request.lastUserText().contains(SLOW)
                ? Reply.text("one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight").withGap(Duration.ofMillis(300))
                : null);
        gateway = GatewayProcess.start("cli", RealClaude.gatewaySettings(api, Map.of(
                "LLM_POOL_MAX_OVERFLOW", "4", "LLM_KEEP_ALIVE_INTERVAL", "1")));
        awaitIdleSessions(2);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aWarmRequestThroughTheSdk() {
        ChatCompletion answer = gateway.client().chat().completions().create(Chat.ask("claude-sonnet", "Say hi"));

        assertEquals("Hello from the fake Anthropic API.", Chat.content(answer));
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, answer.choices().getFirst().finishReason());
        assertTrue(answer.usage().orElseThrow().promptTokens() > 0);
        RecordedRequest upstream = lastRequestWith("Say hi");
        assertEquals("sk-test", upstream.header("x-api-key"));
        assertTrue(upstream.systemText().contains("You are a helpful assistant."), upstream.systemText());
    }

    @Test
    void aStreamedRequestWithUsage() {
        ChatCompletionCreateParams params = Chat.ask("claude-sonnet", "Stream please").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        StringBuilder text = new StringBuilder();
        long promptTokens = 0;
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = gateway.client().chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
                if (chunk.usage().isPresent()) {
                    promptTokens = chunk.usage().get().promptTokens();
                }
            }
        }

        assertEquals("Hello from the fake Anthropic API.", text.toString());
        assertTrue(chunks >= 6, "role, several deltas, finish and usage chunks: " + chunks);
        assertTrue(promptTokens > 0);
    }

    @Test
    void fiveConcurrentRequestsOnAPoolOfTwoOverflow() throws Exception {
        List<Future<ChatCompletion>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                String prompt = "concurrent " + i + " " + SLOW;
                answers.add(clients.submit(() -> gateway.client().chat().completions()
                        .create(Chat.ask("claude-sonnet", prompt))));
            }
            for (Future<ChatCompletion> answer : answers) {
                assertEquals("one two three four five six seven eight", Chat.content(answer.get()));
            }
        }

        long overflow = sessions().stream().filter(s -> s.getString("origin").equals("overflow")).count();
        assertTrue(overflow >= 1 && overflow <= 3, "overflow sessions: " + sessions());
    }

    @Test
    void requestsDoNotSeeEachOthersConversations() throws Exception {
        gateway.client().chat().completions().create(Chat.ask("claude-sonnet", "The password is swordfish-77"));
        for (int i = 0; i < 3; i++) {
            gateway.client().chat().completions().create(Chat.ask("claude-sonnet", "Unrelated question " + i));
        }

        for (int i = 0; i < 3; i++) {
            String upstream = lastRequestWith("Unrelated question " + i).body().toString();
            assertFalse(upstream.contains("swordfish"), "request " + i + " saw another conversation: " + upstream);
        }
    }

    @Test
    void aContinuedConversationSendsOnlyTheNewTurn() {
        ChatCompletion first = gateway.client().chat().completions().create(Chat.ask("claude-sonnet", "Remember 42"));
        ChatCompletionCreateParams continued = ChatCompletionCreateParams.builder()
                .model("claude-sonnet")
                .addUserMessage("Remember 42")
                .addAssistantMessage(Chat.content(first))
                .addUserMessage("What did I ask you to remember?")
                .build();

        gateway.client().chat().completions().create(continued);

        RecordedRequest upstream = lastRequestWith("What did I ask you to remember?");
        assertTrue(upstream.lastUserText().endsWith("What did I ask you to remember?"), upstream.lastUserText());
        assertFalse(upstream.lastUserText().contains("<assistant>"), "not flattened: " + upstream.lastUserText());
        assertTrue(upstream.messages().toString().contains("Hello from the fake Anthropic API."),
                   "the CLI sent the held context: " + upstream.messages());
    }

    @Test
    void keepAlivePingsReachNoModel() throws Exception {
        long before = api.requestCount();

        Thread.sleep(3000); // three keep-alive intervals with no requests

        assertEquals(before, api.requestCount());
        assertTrue(sessions().stream().allMatch(s -> s.getInt("requests") >= 0));
    }

    @Test
    void aSessionKilledWhileIdleIsReplaced() throws Exception {
        awaitIdleSessions(2);
        JsonObject victim = sessions().stream().filter(s -> s.getString("state").equals("idle")).findFirst().orElseThrow();

        ProcessHandle.of(victim.getJsonNumber("pid").longValue()).orElseThrow().destroyForcibly();

        awaitState(victim.getString("id"), "failed");
        awaitIdleSessions(2);
        assertEquals("Hello from the fake Anthropic API.",
                     Chat.content(gateway.client().chat().completions().create(Chat.ask("claude-sonnet", "after kill"))));
    }

    @Test
    void aSessionKilledWhileBusyEndsTheStreamWithAnError() throws Exception {
        ChatCompletionCreateParams params = Chat.ask("claude-sonnet", "kill me " + SLOW);
        StringBuilder seen = new StringBuilder();
        assertThrows(RuntimeException.class, () -> {
            try (StreamResponse<ChatCompletionChunk> stream = gateway.client().chat().completions().createStreaming(params)) {
                stream.stream().forEach(chunk -> {
                    chunk.choices().forEach(choice -> choice.delta().content().ifPresent(seen::append));
                    if (seen.toString().contains("one")) {
                        sessions().stream().filter(s -> s.getString("state").equals("busy"))
                                .forEach(s -> ProcessHandle.of(s.getJsonNumber("pid").longValue())
                                        .ifPresent(ProcessHandle::destroyForcibly));
                    }
                });
            }
        });

        assertTrue(seen.toString().startsWith("one"), seen.toString());
        awaitIdleSessions(2);
    }

    @Test
    void aClientThatDisconnectsInterruptsTheTurn() throws Exception {
        HttpURLConnection connection = (HttpURLConnection) gateway.uri("/v1/chat/completions").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("content-type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(("{\"model\":\"claude-sonnet\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                    + "\"disconnect " + SLOW + "\"}]}").getBytes(StandardCharsets.UTF_8));
        }
        BufferedReader events = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = events.readLine()) != null && !line.contains("one")) {
            // read until the first words arrive
        }
        connection.disconnect();

        RecordedRequest upstream = lastRequestWith("disconnect");
        assertTrue(upstream.awaitFinished(WAIT));
        assertTrue(upstream.clientDisconnected(), "the CLI's upstream request was aborted");
        awaitIdleSessions(2);
    }

    private static List<JsonObject> sessions() {
        return Sessions.of(gateway);
    }

    private static void awaitIdleSessions(int count) throws InterruptedException {
        await(() -> Sessions.idleWarm(gateway) >= count, "idle warm sessions: " + count);
    }

    private static void awaitState(String id, String state) throws InterruptedException {
        await(() -> sessions().stream().anyMatch(s -> s.getString("id").equals(id) && s.getString("state").equals(state)),
              id + " " + state);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what + "; sessions: " + sessions()
                                                 + "; stderr: " + gateway.stderr());
            }
            Thread.sleep(50);
        }
    }

    private static RecordedRequest lastRequestWith(String text) {
        List<RecordedRequest> matching = api.requests().stream()
                .filter(request -> request.lastUserText().contains(text))
                .toList();
        if (matching.isEmpty()) {
            throw new AssertionError("the fake API received no request with '" + text + "'");
        }
        return matching.getLast();
    }
}
