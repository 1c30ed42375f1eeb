package io.llmgateway.e2e;

import java.time.Duration;
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
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A request whose claude process is killed (kill -9) before anything reached the client is answered in
 * full from another session: at any point of a non-streamed turn (the client sees nothing until the end),
 * and before the first word of a streamed one. Kills land at spread-out moments of the turn, since the
 * outcome used to depend on whether a word had come out of the CLI yet.
 */
final class TestCliRetry {

    private static final String SLOW = "[slow]";
    private static final String ANSWER = "one two three four five six seven eight";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FakeAnthropicApi api;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        api = FakeAnthropicApi.start();
        // three empty deltas first: a streamed answer's first word leaves the gateway 0.9 s into the turn
        api.replyWith(request -> request.lastUserText().contains(SLOW)
                ? Reply.text("", "", "", "one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight")
                        .withGap(Duration.ofMillis(300))
                : null);
        gateway = GatewayProcess.start("cli-retry", RealClaude.gatewaySettings(api, Map.of("LLM_POOL_MAX_OVERFLOW", "0")));
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
    void aWholeAnswerSurvivesItsSessionDyingAtAnyPointOfTheTurn() throws Exception {
        for (int attempt = 0; attempt < 8; attempt++) {
            String prompt = "whole " + attempt + " " + SLOW;
            Duration killAfter = Duration.ofMillis(200 + 300L * attempt); // from before the first word to the last
            ChatCompletion answer = whileKilled(prompt, killAfter,
                                                () -> gateway.client().chat().completions().create(Chat.ask("claude-sonnet", prompt)));

            assertEquals(ANSWER, Chat.content(answer), "killed " + killAfter.toMillis() + " ms into the turn");
            assertEquals(2, upstreamCalls(prompt), "served again on another session");
        }
    }

    @Test
    void aStreamSurvivesItsSessionDyingBeforeItsFirstWord() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            String prompt = "streamed " + attempt + " " + SLOW;
            Duration killAfter = Duration.ofMillis(100 + 200L * attempt);
            String text = whileKilled(prompt, killAfter, () -> {
                StringBuilder seen = new StringBuilder();
                try (StreamResponse<ChatCompletionChunk> stream = gateway.client().chat().completions()
                        .createStreaming(Chat.ask("claude-sonnet", prompt))) {
                    stream.stream().forEach(chunk -> chunk.choices()
                            .forEach(choice -> choice.delta().content().ifPresent(seen::append)));
                }
                return seen.toString();
            });

            assertEquals(ANSWER, text, "killed " + killAfter.toMillis() + " ms into the turn");
            assertEquals(2, upstreamCalls(prompt), "served again on another session");
        }
    }

    /** Sends a request and kills the process serving it once its turn has run for a while. */
    private static <T> T whileKilled(String prompt, Duration killAfter, java.util.concurrent.Callable<T> request)
            throws Exception {
        await(() -> Sessions.idleWarm(gateway) == 2, "two idle warm sessions");
        try (ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<T> answer = client.submit(request);
            await(() -> upstreamCalls(prompt) == 1, "the turn reaching the upstream");
            Thread.sleep(killAfter.toMillis());
            List<JsonObject> busy = Sessions.of(gateway).stream().filter(s -> s.getString("state").equals("busy")).toList();
            assertEquals(1, busy.size(), "one session serves the request: " + busy);
            ProcessHandle.of(busy.getFirst().getJsonNumber("pid").longValue()).orElseThrow().destroyForcibly();
            return answer.get();
        }
    }

    private static long upstreamCalls(String prompt) {
        return api.requests().stream().map(RecordedRequest::lastUserText).filter(text -> text.contains(prompt)).count();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what + "; sessions: " + Sessions.of(gateway)
                                                 + "; stderr: " + gateway.stderr());
            }
            Thread.sleep(20);
        }
    }
}
