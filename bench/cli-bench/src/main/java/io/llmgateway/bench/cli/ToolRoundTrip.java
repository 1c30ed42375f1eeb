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
import jakarta.json.JsonNumber;
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
    private final Samples toolOwn = new Samples("tools: the gateway's own time per round trip (client time − `cli_turn_ms` − `cli_reset_ms`, both requests)");
    private final Samples plainOwn = new Samples("plain: the gateway's own time per round trip (client time − `cli_turn_ms` − `cli_reset_ms`, both requests)");
    private final Map<String, Long> clientNanos = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> toolConversations = new ArrayList<>();
    private final List<String> costlyContinuations = new ArrayList<>();
    private long spawns;
    private long resets;
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
                String before = gw.metrics();
                for (int i = 0; i < iterations; i++) {
                    iteration(gw, Integer.toString(i), true);
                }
                String after = gw.metrics();
                spawns = delta(before, after, "llm_cli_spawns_total");
                resets = delta(before, after, "llm_cli_resets_total");
                continuations = delta(before, after, "llm_cli_tool_continuations_total");
                gw.close();
                checkContinuations(gw.requestLog());
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
            clientNanos.put("bench-plain-" + id, first.nanos());
            clientNanos.put("bench-plain2-" + id, second.nanos());
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
        Gateway.Posted second = gw.post("bench-tools2-" + id, chat(List.of(
                user(question),
                JSON.createObjectBuilder().add("role", "assistant").addNull("content").add("tool_calls", calls).build(),
                JSON.createObjectBuilder().add("role", "tool").add("tool_call_id", call.getString("id"))
                        .add("content", TOOL_OUTPUT).build()), true));
        check(id, "answer after the tool result", second.message().getString("content"));
        if (measured) {
            clientNanos.put("bench-tools-" + id, first.nanos());
            clientNanos.put("bench-tools2-" + id, second.nanos());
            toolConversations.add(id);
            toolFirst.addNanos(first.nanos());
            toolSecond.addNanos(second.nanos());
            toolTrip.addNanos(first.nanos() + second.nanos());
        }
        return first.nanos() + second.nanos();
    }

    /**
     * Each continuation must be served by the session that answered the tool call, without a reset before
     * its turn ({@code cli_reset_ms}) and without a cold start: the request log says which session and what
     * it did.
     */
    private void checkContinuations(Map<String, JsonObject> log) {
        for (String id : toolConversations) {
            ownTime(log, toolOwn, "bench-tools-" + id, "bench-tools2-" + id);
            ownTime(log, plainOwn, "bench-plain-" + id, "bench-plain2-" + id);
            JsonObject first = log.get("bench-tools-" + id);
            JsonObject second = log.get("bench-tools2-" + id);
            if (first == null || second == null) {
                costlyContinuations.add(id + " (not in the request log)");
            } else if (!first.getString("session", "?").equals(second.getString("session", "!"))) {
                costlyContinuations.add(id + " (session " + first.getString("session", "?") + ", then "
                                                + second.getString("session", "?") + ")");
            } else if (second.containsKey("cli_reset_ms") || second.containsKey("cold_start")) {
                costlyContinuations.add(id + " (a reset or a cold start: " + second + ")");
            }
        }
    }

    private void ownTime(Map<String, JsonObject> log, Samples samples, String... requestIds) {
        double millis = 0;
        for (String requestId : requestIds) {
            if (!(log.get(requestId) instanceof JsonObject line) || !(line.get("cli_turn_ms") instanceof JsonNumber turn)) {
                return;
            }
            millis += clientNanos.get(requestId) / 1e6 - turn.doubleValue();
            if (line.get("cli_reset_ms") instanceof JsonNumber reset) {
                millis -= reset.doubleValue(); // a new conversation's /clear is the CLI's time, not the gateway's
            }
        }
        samples.addMillis(millis);
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
        for (Samples samples : List.of(plainFirst, plainSecond, plainTrip, toolFirst, toolSecond, toolTrip, paired,
                                       plainOwn, toolOwn)) {
            out.append(samples.row()).append('\n');
        }
        out.append("\n- **added by the tool round trip** (p50 tools − p50 plain, both requests): **")
                .append(Samples.ms(toolTrip.p50() - plainTrip.p50())).append(" ms** (95% bootstrap interval ")
                .append(Samples.ms(interval[0])).append(" to ").append(Samples.ms(interval[1]))
                .append("); median of the paired differences ").append(Samples.ms(paired.p50())).append(" ms\n")
                .append("- **the gateway's own time per tool round trip** (p50, from the request log's `cli_turn_ms` and `cli_reset_ms`): **")
                .append(Samples.ms(toolOwn.p50())).append(" ms** (plain: ").append(Samples.ms(plainOwn.p50())).append(" ms)\n")
                .append("- measured continuations: ").append(toolConversations.size())
                .append(", served by the session that answered the tool call, with no reset and no cold start: **")
                .append(toolConversations.size() - costlyContinuations.size()).append("** (request log); ")
                .append("`llm_cli_tool_continuations_total` grew by ").append(continuations).append('\n')
                .append("- over the measured iterations the pool spawned ").append(spawns).append(" and reset ")
                .append(resets).append(" sessions (`llm_cli_spawns_total`, `llm_cli_resets_total`): for the first\n")
                .append("  requests of both conversations, each a new conversation that needs a clean session\n\n")
                .append("| target | measured | result |\n|---|---:|---|\n")
                .append("| every continuation on its session, no reset, no spawn | ")
                .append(toolConversations.size() - costlyContinuations.size()).append(" of ")
                .append(toolConversations.size()).append(" | ")
                .append(costlyContinuations.isEmpty() && continuations == toolConversations.size() ? "met" : "**not met**")
                .append(" |\n\n");
        if (!costlyContinuations.isEmpty()) {
            problems.add("continuations not served warm by their session: " + String.join(", ", costlyContinuations));
        }
        if (continuations != toolConversations.size()) {
            problems.add(continuations + " tool continuations counted for " + toolConversations.size() + " sent");
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
