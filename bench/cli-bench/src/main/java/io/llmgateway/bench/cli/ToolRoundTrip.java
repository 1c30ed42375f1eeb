package io.llmgateway.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.Reply;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

/**
 * The measuring part of {@code bench/run-cli --tools}: an OpenAI function-calling round trip on the cli
 * backend (a request with tools answered with a tool call, then the tool's result, then the final answer)
 * against the same two-request conversation without tools, interleaved on one gateway with warm sessions.
 * The continuation must be served by the session that holds the pending call: the run counts spawns and
 * resets across every continuation request, and fails if there is one.
 */
public final class ToolRoundTrip {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final int POOL_SIZE = 2;
    private static final String QUESTION = "What is the weather in Paris?";
    private static final String TOOL_OUTPUT = "sunny, 21 C";
    private static final String FINAL = "It is sunny in Paris, 21 C.";
    private static final String UPSTREAM_TOOL = "mcp__gw__get_weather";

    private final Map<String, String> options;
    private final Path work;
    private final Samples plainFirst = new Samples("plain: first request (text answer)");
    private final Samples plainSecond = new Samples("plain: second request (history + a new user message)");
    private final Samples plainTrip = new Samples("plain: both requests");
    private final Samples toolFirst = new Samples("tools: first request (answered with a tool call)");
    private final Samples toolSecond = new Samples("tools: continuation (the tool result, then the final answer)");
    private final Samples toolTrip = new Samples("tools: both requests (the round trip)");
    private final Samples paired = new Samples("tools round trip − plain round trip, per iteration");
    private final List<String> problems = new ArrayList<>();
    private long continuationSpawns;
    private long continuationResets;
    private long continuations;

    private ToolRoundTrip(Map<String, String> options) {
        this.options = options;
        this.work = Path.of(required("work"));
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --name value} pairs: claude, gateway, work, report, iterations, warmup, java-opts, commit
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        try {
            new ToolRoundTrip(options).run();
        } finally {
            Children.killAll();
        }
    }

    private void run() throws Exception {
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        int iterations = Integer.parseInt(options.getOrDefault("iterations", "30"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        String version;
        try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
            api.recording(false).replyWith(ToolRoundTrip::answer);
            Claude claude = new Claude(Path.of(required("claude")), api.baseUrl(), work);
            version = claude.version();
            try (Gateway gw = Gateway.start(Path.of(required("gateway")), claude.binary(), api.baseUrl(), POOL_SIZE,
                                            work, options.getOrDefault("java-opts", ""))) {
                for (int i = 0; i < 500; i++) {
                    gw.live();
                }
                for (int i = 0; i < 5000; i++) {
                    gw.warmUpWithMock();
                }
                say("warming up: " + warmup + " iterations, then measuring " + iterations);
                for (int i = 0; i < warmup; i++) {
                    iteration(gw, "warmup-" + i, false);
                }
                for (int i = 0; i < iterations; i++) {
                    iteration(gw, Integer.toString(i), true);
                }
            }
        }
        Files.writeString(Path.of(required("report")), report(started, version, iterations));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the run had problems (see the report): " + problems);
        }
    }

    /** One plain conversation and one with tools, in alternating order, so drifts of the machine hit both. */
    private void iteration(Gateway gw, String id, boolean measured) throws IOException {
        boolean toolsFirst = id.hashCode() % 2 == 0;
        long plain = 0;
        long tools = 0;
        for (int turn = 0; turn < 2; turn++) {
            if (toolsFirst == (turn == 0)) {
                tools = toolConversation(gw, id, measured);
            } else {
                plain = plainConversation(gw, id, measured);
            }
        }
        if (measured) {
            paired.addNanos(tools - plain);
        }
    }

    private long plainConversation(Gateway gw, String id, boolean measured) throws IOException {
        String question = QUESTION + " #" + id + "p";
        Gateway.Posted first = gw.post("bench-plain-" + id, chat(List.of(user(question)), false));
        String said = first.message().getString("content");
        Gateway.Posted second = gw.post("bench-plain2-" + id, chat(List.of(user(question), assistant(said),
                                                                           user("The weather service says " + TOOL_OUTPUT
                                                                                        + ". Tell me in one sentence.")),
                                                                    false));
        check(id, "plain answer", second.message().getString("content"));
        if (measured) {
            plainFirst.addNanos(first.nanos());
            plainSecond.addNanos(second.nanos());
            plainTrip.addNanos(first.nanos() + second.nanos());
        }
        return first.nanos() + second.nanos();
    }

    private long toolConversation(Gateway gw, String id, boolean measured) throws IOException {
        String question = QUESTION + " #" + id + "t";
        Gateway.Posted first = gw.post("bench-tools-" + id, chat(List.of(user(question)), true));
        JsonObject message = first.message();
        if (!"tool_calls".equals(first.answer().getJsonArray("choices").getJsonObject(0).getString("finish_reason", ""))
                || !(message.get("tool_calls") instanceof JsonArray calls) || calls.size() != 1) {
            throw new IOException("request bench-tools-" + id + " was not answered with one tool call: " + first.answer());
        }
        JsonObject call = calls.getJsonObject(0);
        String metricsBefore = gw.metrics();
        Gateway.Posted second = gw.post("bench-tools2-" + id, chat(List.of(
                user(question),
                JSON.createObjectBuilder().add("role", "assistant").addNull("content").add("tool_calls", calls).build(),
                JSON.createObjectBuilder().add("role", "tool").add("tool_call_id", call.getString("id"))
                        .add("content", TOOL_OUTPUT).build()), true));
        String metricsAfter = gw.metrics();
        check(id, "answer after the tool result", second.message().getString("content"));
        continuations++;
        continuationSpawns += delta(metricsBefore, metricsAfter, "llm_cli_spawns_total");
        continuationResets += delta(metricsBefore, metricsAfter, "llm_cli_resets_total");
        if (measured) {
            toolFirst.addNanos(first.nanos());
            toolSecond.addNanos(second.nanos());
            toolTrip.addNanos(first.nanos() + second.nanos());
        }
        return first.nanos() + second.nanos();
    }

    /** The fake upstream: a tool call when the gateway's tool is listed and no result came back yet, else text. */
    private static Reply answer(RecordedRequest request) {
        if (!request.toolResults().isEmpty() || request.lastUserText().contains(TOOL_OUTPUT)) {
            return Reply.text(FINAL);
        }
        if (request.toolNames().contains(UPSTREAM_TOOL)) {
            return new Reply.ToolUse("", List.of(Reply.ToolCall.of(UPSTREAM_TOOL,
                                                                   JSON.createObjectBuilder().add("city", "Paris").build())),
                                     Reply.Usage.of(20, 10));
        }
        return Reply.text("Let me look that up.");
    }

    private static JsonObject chat(List<JsonObject> messages, boolean tools) {
        JsonObjectBuilder body = JSON.createObjectBuilder().add("model", "claude-sonnet")
                .add("messages", JSON.createArrayBuilder(messages));
        if (tools) {
            body.add("tools", JSON.createArrayBuilder().add(JSON.createObjectBuilder()
                    .add("type", "function")
                    .add("function", JSON.createObjectBuilder()
                            .add("name", "get_weather")
                            .add("description", "The current weather in a city")
                            .add("parameters", JSON.createObjectBuilder()
                                    .add("type", "object")
                                    .add("properties", JSON.createObjectBuilder()
                                            .add("city", JSON.createObjectBuilder().add("type", "string")))
                                    .add("required", JSON.createArrayBuilder().add("city"))))));
        }
        return body.build();
    }

    private static JsonObject user(String text) {
        return JSON.createObjectBuilder().add("role", "user").add("content", text).build();
    }

    private static JsonObject assistant(String text) {
        return JSON.createObjectBuilder().add("role", "assistant").add("content", text).build();
    }

    private void check(String id, String what, String content) {
        if (!FINAL.equals(content)) {
            problems.add("iteration " + id + ": " + what + " was '" + content + "'");
        }
    }

    private static long delta(String before, String after, String metric) {
        return Math.round(Gateway.metric(after, metric) - Gateway.metric(before, metric));
    }

    private String report(String started, String version, int iterations) {
        double[] interval = Samples.p50DifferenceInterval(toolTrip, plainTrip);
        StringBuilder out = new StringBuilder();
        out.append("# cli backend: a tool round trip, ").append(started).append(" UTC\n\n")
                .append("One gateway (cli backend, pool of ").append(POOL_SIZE).append(", claude ").append(version)
                .append(") against test-support's FakeAnthropicApi answering at once. Each iteration runs two\n")
                .append("conversations of two requests each, in alternating order: **plain** (a question answered with\n")
                .append("text, then the history and a new user message) and **tools** (the same question with one function,\n")
                .append("answered with a tool call; then the history, the assistant's tool call and the `tool` message,\n")
                .append("answered with the final text). Both make two upstream calls. ").append(iterations)
                .append(" measured iterations; times in ms, from the client.\n\n")
                .append("| series | n | p50 | p90 | min | max |\n|---|---:|---:|---:|---:|---:|\n");
        for (Samples samples : List.of(plainFirst, plainSecond, plainTrip, toolFirst, toolSecond, toolTrip, paired)) {
            out.append(samples.row()).append('\n');
        }
        out.append("\n- **added by the tool round trip** (p50 tools − p50 plain, both requests): **")
                .append(Samples.ms(toolTrip.p50() - plainTrip.p50())).append(" ms** (95% bootstrap interval ")
                .append(Samples.ms(interval[0])).append(" to ").append(Samples.ms(interval[1]))
                .append("); median of the paired differences ").append(Samples.ms(paired.p50())).append(" ms\n")
                .append("- continuations: ").append(continuations).append(" (warm-up included), spawns during them: **")
                .append(continuationSpawns).append("**, resets (`/clear`) during them: **").append(continuationResets)
                .append("**\n\n")
                .append("| target | measured | result |\n|---|---:|---|\n")
                .append("| the continuation costs no spawn and no reset | ").append(continuationSpawns).append(" spawns, ")
                .append(continuationResets).append(" resets | ")
                .append(continuationSpawns == 0 && continuationResets == 0 ? "met" : "**not met**").append(" |\n\n");
        if (continuationSpawns != 0 || continuationResets != 0) {
            problems.add(continuationSpawns + " spawns and " + continuationResets + " resets during continuations");
        }
        if (!problems.isEmpty()) {
            out.append("Problems: ").append(String.join("; ", problems)).append("\n\n");
        }
        out.append("- commit: ").append(options.getOrDefault("commit", "unknown")).append('\n')
                .append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores; java ")
                .append(System.getProperty("java.version")).append('\n');
        return out.toString();
    }

    private String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static void say(String message) {
        System.err.println("bench: " + message);
        System.err.flush();
    }
}
