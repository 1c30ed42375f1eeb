package io.llmgateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fakes' {@code main} methods, which benchmarks run as processes of their own: their options, and each
 * fake as a real process that says where it listens, answers, and stops on SIGTERM.
 */
final class TestFakeMains {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void optionsHaveDefaults() {
        FakeMain.Options options = FakeMain.parse(new String[0]);

        assertEquals(new FakeMain.Options(0, Duration.ZERO, FakeMain.DEFAULT_TEXT), options);
        assertEquals(5, options.reply().deltas().size());
        assertEquals(FakeMain.DEFAULT_TEXT, options.reply().text());
    }

    @Test
    void optionsAreRead() {
        assertEquals(new FakeMain.Options(8080, Duration.ofMillis(25), "Hi there"),
                FakeMain.parse(new String[] {"--port", "8080", "--gap-ms", "25", "--text", "Hi there"}));
        assertEquals(new FakeMain.Options(0, Duration.ofMillis(3), "a=b"),
                FakeMain.parse(new String[] {"--port=0", "--gap-ms=3", "--text=a=b"}));
        assertEquals(Duration.ofMillis(25), FakeMain.parse(new String[] {"--gap-ms", "25"}).reply().gap());

        for (String[] bad : List.of(new String[] {"--port"}, new String[] {"--port", "-1"}, new String[] {"--port", "70000"},
                new String[] {"--gap-ms", "soon"}, new String[] {"--model", "x"})) {
            assertThrows(IllegalArgumentException.class, () -> FakeMain.parse(bad), String.join(" ", bad));
        }
    }

    @Test
    void theTextIsSplitIntoAboutFiveDeltasOfWholeWords() {
        assertEquals(List.of("one two ", "three four ", "five six ", "seven eight ", "nine ten"),
                FakeMain.deltas("one two three four five six seven eight nine ten", 5));
        assertEquals(List.of("one ", "two"), FakeMain.deltas("one two", 5));
        assertEquals(List.of("  lead ", "and trail  "), FakeMain.deltas("  lead and trail  ", 2));
        assertEquals(List.of(""), FakeMain.deltas("", 5));
    }

    @Test
    void theOpenAiFakeRunsOnItsOwn() throws Exception {
        try (Served served = Served.start(FakeOpenAiApi.class, "--gap-ms", "10", "--text", "one two three four five six")) {
            String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
            JsonObject completion = Jsons.parseObject(served.post("/v1/chat/completions", body));
            assertEquals("one two three four five six", completion.getJsonArray("choices").getJsonObject(0)
                    .getJsonObject("message").getString("content"));
            String stream = served.post("/v1/chat/completions", body.replace("{\"model\"", "{\"stream\":true,\"model\""));
            assertEquals(5 + 3, stream.split("\n\n").length, "role, five deltas, finish, [DONE]");
            assertEquals(143, served.terminate(), "killed by SIGTERM");
        }
    }

    @Test
    void theAnthropicFakeRunsOnItsOwn() throws Exception {
        try (Served served = Served.start(FakeAnthropicApi.class)) {
            String body = "{\"model\":\"m\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
            JsonObject message = Jsons.parseObject(served.post("/v1/messages", body));
            assertEquals(FakeMain.DEFAULT_TEXT, message.getJsonArray("content").getJsonObject(0).getString("text"));
            assertEquals(143, served.terminate(), "killed by SIGTERM");
        }
    }

    @Test
    void aBadOptionStopsItWithTheUsage() throws Exception {
        Process process = new ProcessBuilder(JavaCommand.java(), "-cp", JavaCommand.classPath(),
                FakeOpenAiApi.class.getName(), "--prot", "1").start();
        assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), stderr);
        assertTrue(stderr.contains("unknown option --prot") && stderr.contains("usage:"), stderr);
    }

    /** A fake's main running as a process, and a client for it. */
    private record Served(Process process, String baseUrl, HttpClient client) implements AutoCloseable {
        static Served start(Class<?> main, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(JavaCommand.java(), "-cp", JavaCommand.classPath(),
                    main.getName(), "--port", "0"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Matcher listening = LISTENING.matcher(line == null ? "" : line);
            if (!listening.matches()) {
                process.destroyForcibly();
                throw new AssertionError("expected 'listening on URL' as the first line, got " + line);
            }
            return new Served(process, listening.group(1), HttpClient.newHttpClient());
        }

        String post(String path, String body) throws IOException, InterruptedException {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        }

        /** {@return the exit status after SIGTERM} */
        int terminate() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "still running after SIGTERM");
            return process.exitValue();
        }

        @Override
        public void close() {
            client.close();
            process.destroyForcibly();
        }
    }
}
