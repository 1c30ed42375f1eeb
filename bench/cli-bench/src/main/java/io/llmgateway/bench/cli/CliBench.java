package io.llmgateway.bench.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RecordedRequest;
import io.llmgateway.testing.Reply;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * The cli backend's benchmark (run by {@code bench/run-cli}). In one run, with the same prompt everywhere
 * and a fake Anthropic API that answers at once with a short fixed text:
 *
 * <ol>
 *     <li>cold: one-shot {@code claude -p PROMPT --output-format json ...} runs, start to exit;</li>
 *     <li>bare warm: one long-lived stream-json process started as the gateway starts one; user line to
 *     {@code result} line, with the {@code /clear} before each turn timed on its own;</li>
 *     <li>gateway warm: the distribution with {@code LLM_BACKEND=cli} and a pool of 2, sequential
 *     requests, non-streamed and streamed, timed by the client;</li>
 *     <li>within the pool: 2 concurrent clients, then the check that no request had a cold start.</li>
 * </ol>
 *
 * <p>The warm series are interleaved: each iteration does one bare turn, one gateway request, one
 * streamed gateway request and one {@code GET /health/live}, so that load from elsewhere on the shared
 * machine hits all series alike, and iteration i of one series can be paired with iteration i of another.
 * Every exchange is also split at the moment its upstream call reaches the fake, which shows whether time
 * goes before the model call (HTTP in, session, {@code /clear}, CLI) or after it. Writes a Markdown report.
 *
 * <p>Usage: {@code CliBench --claude PATH --gateway DIR --work DIR --report FILE [--cold 10] [--turns 30]
 * [--requests 30] [--concurrent 20] [--warmup 10] [--java-opts ...] [--commit ...]}.
 */
public final class CliBench {

    static final String PROMPT = "Say hello in one short sentence.";
    static final Reply.Text REPLY = Reply.text("Hello", " there", "!");
    private static final int POOL_SIZE = 2;
    private static final int HTTP_WARMUP = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JsonProvider JSON = JsonProvider.provider();

    private final Map<String, String> options;
    private final Path work;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "watchdog");
        thread.setDaemon(true);
        return thread;
    });

    // the series, in report order
    private final Samples cold = new Samples("1. cold: one-shot `claude -p`, start to exit");
    private final Samples bareTurn = new Samples("2. bare warm turn: user line → `result` line (no `/clear`)");
    private final Samples bareClear = new Samples("2. bare `/clear` alone: its line → its `result` line");
    private final Samples bareClearTurn = new Samples("2. bare `/clear` + turn (what the gateway does per request)");
    private final Samples bareFirstDelta = new Samples("2. bare turn to first `text_delta` (no `/clear`)");
    private final Samples bareClearFirstDelta = new Samples("2. bare `/clear` + turn to first `text_delta`");
    private final Samples gateway = new Samples("3. gateway warm, non-streamed (client)");
    private final Samples gatewayServer = new Samples("3. gateway warm, non-streamed: its own `latency_ms` (log)");
    private final Samples gatewayTurn = new Samples("3. gateway warm, non-streamed: its CLI turn `cli_turn_ms` (log)");
    private final Samples gatewayOwn = new Samples("3. gateway warm, non-streamed: client time − `cli_turn_ms`, per request");
    private final Samples streamFirst = new Samples("3. gateway streamed: first content chunk (client)");
    private final Samples streamTotal = new Samples("3. gateway streamed: total to `[DONE]` (client)");
    private final Samples streamServerTtft = new Samples("3. gateway streamed: its own `ttft_ms` (log)");
    private final Samples live = new Samples("3. gateway `GET /health/live` (HTTP round trip, no backend)");
    private final Samples concurrent = new Samples("4. gateway, " + POOL_SIZE + " concurrent clients (client)");

    // gateway − bare, iteration by iteration
    private final Samples pairedClearTurn = new Samples("gateway − bare `/clear` + turn");
    private final Samples pairedTurn = new Samples("gateway − bare turn");
    private final Samples serverOwn = new Samples("gateway `latency_ms` − `cli_turn_ms`");

    // where the time goes: each exchange split where its upstream call reaches the fake
    private final Samples barePre = new Samples("bare: `/clear` line written → upstream call");
    private final Samples barePreNoClear = new Samples("bare: user line written → upstream call");
    private final Samples barePost = new Samples("bare: upstream call → `result` line");
    private final Samples barePostFirst = new Samples("bare: upstream call → first `text_delta`");
    private final Samples gatewayPre = new Samples("gateway: request sent → upstream call");
    private final Samples gatewayPost = new Samples("gateway: upstream call → response read");
    private final Samples streamPre = new Samples("gateway streamed: request sent → upstream call");
    private final Samples streamPostFirst = new Samples("gateway streamed: upstream call → first content chunk");
    /** {@link System#nanoTime()} when the latest upstream call reached the fake. */
    private volatile long upstreamAt;
    /** The models the CLI asked the fake for, and the most user and assistant messages one call carried. */
    private final Set<String> upstreamModels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger upstreamMessages = new AtomicInteger();

    private final Map<String, String> notes = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> measuredRequestIds = new ArrayList<>();
    /** Client-side time of each measured non-streamed request. */
    private final Map<String, Long> measuredNanos = new HashMap<>();
    private final List<String> streamedRequestIds = new ArrayList<>();
    private final List<String> concurrentRequestIds = new ArrayList<>();
    private int streamsArrivingWhole;
    /** Measured non-streamed requests that found no clean session and paid a /clear first. */
    private int inlineResets;
    private int streamInlineResets;

    private CliBench(Map<String, String> options) {
        this.options = options;
        this.work = Path.of(required("work")).toAbsolutePath();
    }

    /**
     * Runs the benchmark.
     *
     * @param args the options
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        CliBench bench = new CliBench(options);
        try {
            bench.run();
        } finally {
            bench.watchdog.shutdownNow();
            Children.killAll();
        }
    }

    private void run() throws Exception {
        Path claudeBinary = Path.of(required("claude"));
        String loadBefore = loadAverage();
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        long begin = System.nanoTime();
        try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
            api.recording(false).defaultReply(REPLY).replyWith(request -> {
                upstreamAt = System.nanoTime();
                upstreamModels.add(request.model());
                upstreamMessages.accumulateAndGet(dialogueLength(request), Math::max);
                return null; // the default reply
            });
            Claude claude = new Claude(claudeBinary, api.baseUrl(), work);
            notes.put("claude", claude.version());

            measureCold(claude, api);
            measureWarm(claude, api);
        }
        notes.put("seconds", String.format(Locale.ROOT, "%.0f", (System.nanoTime() - begin) / 1e9));
        notes.put("leftovers", checkLeftovers());
        Files.writeString(Path.of(required("report")), report(started, loadBefore));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the run had problems (see the report): " + problems);
        }
    }

    // --- 1. cold ----------------------------------------------------------------------------------

    private void measureCold(Claude claude, FakeAnthropicApi api) throws IOException, InterruptedException {
        int runs = option("cold", 10);
        say("cold: 1 + " + runs + " one-shot runs (the first, untimed, loads the binary into the page cache)");
        oneShot(claude);
        long upstreamBefore = api.requestCount();
        for (int i = 0; i < runs; i++) {
            cold.addNanos(oneShot(claude));
        }
        notes.put("cold.upstream", perRun(api.requestCount() - upstreamBefore, runs));
        say("cold: p50 " + Samples.ms(cold.p50()) + " ms");
    }

    /** One {@code claude -p} run in a fresh directory; its wall time from start to exit, in nanoseconds. */
    private long oneShot(Claude claude) throws IOException, InterruptedException {
        ProcessBuilder builder = claude.builder(claude.oneShot(PROMPT), "cold")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        long start = System.nanoTime();
        Process process = Children.track(builder.start());
        ScheduledFuture<?> kill = watchdog.schedule(() -> Children.kill(process), TIMEOUT.toMillis(),
                                                    TimeUnit.MILLISECONDS);
        byte[] out = process.getInputStream().readAllBytes();
        int status = process.waitFor();
        long nanos = System.nanoTime() - start;
        kill.cancel(false);
        String stdout = new String(out, StandardCharsets.UTF_8);
        if (status != 0) {
            throw new IOException("claude -p exited with status " + status + "; stdout: " + stdout);
        }
        JsonObject result = oneShotResult(stdout);
        if (result.getBoolean("is_error", false) || !REPLY.text().equals(result.getString("result", ""))) {
            throw new IOException("claude -p did not answer the fake's text: " + stdout);
        }
        return nanos;
    }

    /** The {@code result} object of {@code --output-format json}: one object, or an array ending with it. */
    private static JsonObject oneShotResult(String stdout) {
        String text = stdout.strip();
        JsonValue value = JSON.createReader(new StringReader(text)).readValue();
        if (value instanceof JsonArray array) {
            for (JsonValue item : array.reversed()) {
                if (item instanceof JsonObject object && "result".equals(object.getString("type", ""))) {
                    return object;
                }
            }
        }
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new IllegalStateException("no result in the output of claude -p: " + text);
    }

    // --- 2. and 3.: bare and gateway, warm, interleaved --------------------------------------------

    private void measureWarm(Claude claude, FakeAnthropicApi api) throws Exception {
        int turns = option("turns", 30);
        int requests = option("requests", 30);
        int warmup = option("warmup", 10);

        say("starting a bare stream-json process and the gateway (pool of " + POOL_SIZE + ")");
        StreamJsonSession.Started started = StreamJsonSession.start(claude, watchdog, TIMEOUT);
        notes.put("bare.ready", Samples.ms(started.nanos() / 1e6));
        try (StreamJsonSession bare = started.session()) {
            long gatewayStart = System.nanoTime();
            try (Gateway gw = Gateway.start(Path.of(required("gateway")), claude.binary(), api.baseUrl(), POOL_SIZE,
                                            work, options.getOrDefault("java-opts", ""))) {
                notes.put("gateway.ready", Samples.ms((System.nanoTime() - gatewayStart) / 1e6));
                int jitWarmup = option("jit-warmup", 20000);
                say("warming up: " + HTTP_WARMUP + " GET /health/live, " + jitWarmup + " mock-backend requests, then "
                            + warmup + " iterations (bare turn, gateway request, streamed request)");
                for (int i = 0; i < HTTP_WARMUP; i++) {
                    gw.live(); // the client's and the server's HTTP code, compiled before anything is timed
                }
                long jitStart = System.nanoTime();
                for (int i = 0; i < jitWarmup; i++) {
                    gw.warmUpWithMock();
                }
                notes.put("jit.warmup", jitWarmup + " requests in " + Samples.ms((System.nanoTime() - jitStart) / 1e6)
                        + " ms");
                for (int i = 0; i < warmup; i++) {
                    bareIteration(bare, api, i > 0, false);
                    check("gateway warm-up", gw.chat("bench-warmup-" + i, PROMPT).content());
                    check("gateway warm-up", gw.chatStreamed("bench-warmup-s" + i, PROMPT).content());
                    gw.live();
                }

                say("measuring: " + turns + " bare turns, " + requests + " gateway requests and " + requests
                            + " streamed, interleaved");
                long gatewayCalls = 0;
                for (int i = 0; i < Math.max(turns, requests); i++) {
                    StreamJsonSession.Turn[] bareNow = i < turns ? bareIteration(bare, api, true, true) : null;
                    if (i < requests) {
                        long before = api.requestCount();
                        long nanos = gatewayRequest(gw, i);
                        gatewayCalls += api.requestCount() - before;
                        if (bareNow != null) {
                            pairedClearTurn.addNanos(nanos - bareNow[0].nanos() - bareNow[1].nanos());
                            pairedTurn.addNanos(nanos - bareNow[1].nanos());
                        }
                        streamedRequest(gw, i);
                        live.addNanos(gw.live());
                    }
                }
                notes.put("bare.upstream.clear", perRun(clearCalls, turns));
                notes.put("bare.upstream.turn", perRun(turnCalls, turns));
                notes.put("gateway.upstream", perRun(gatewayCalls, requests));
                say("bare turn p50 " + Samples.ms(bareTurn.p50()) + " ms, /clear + turn p50 "
                            + Samples.ms(bareClearTurn.p50()) + " ms; gateway p50 " + Samples.ms(gateway.p50())
                            + " ms, streamed first content p50 " + Samples.ms(streamFirst.p50()) + " ms");

                measureConcurrent(gw, option("concurrent", 20));
                gw.close();
                readRequestLog(gw);
            }
        }
    }

    /** Upstream calls made by the measured bare {@code /clear}s (there should be none) and turns. */
    private long clearCalls;
    private long turnCalls;

    /**
     * One bare iteration as the gateway serves an independent request: {@code /clear} (unless the
     * context is empty), then the turn.
     *
     * @return the /clear (or null) and the turn
     */
    private StreamJsonSession.Turn[] bareIteration(StreamJsonSession bare, FakeAnthropicApi api, boolean clear,
                                                   boolean record) throws IOException {
        long before = api.requestCount();
        StreamJsonSession.Turn cleared = clear ? bare.turn("/clear") : null;
        long afterClear = api.requestCount();
        StreamJsonSession.Turn turn = bare.turn(PROMPT);
        if (turn.isError() || !REPLY.text().equals(turn.result())) {
            throw new IOException("the bare session did not answer the fake's text: " + turn);
        }
        if (record) {
            clearCalls += afterClear - before;
            turnCalls += api.requestCount() - afterClear;
            long upstream = upstreamSince(turn.startNanos());
            bareTurn.addNanos(turn.nanos());
            bareFirstDelta.addNanos(turn.firstDeltaNanos());
            bareClear.addNanos(cleared.nanos());
            bareClearTurn.addNanos(cleared.nanos() + turn.nanos());
            bareClearFirstDelta.addNanos(cleared.nanos() + turn.firstDeltaNanos());
            barePre.addNanos(upstream - cleared.startNanos());
            barePreNoClear.addNanos(upstream - turn.startNanos());
            barePost.addNanos(turn.startNanos() + turn.nanos() - upstream);
            barePostFirst.addNanos(turn.startNanos() + turn.firstDeltaNanos() - upstream);
        }
        return new StreamJsonSession.Turn[] {cleared, turn};
    }

    /** One measured non-streamed gateway request; returns its client-side time. */
    private long gatewayRequest(Gateway gw, int i) throws IOException, InterruptedException {
        String id = "bench-n" + i;
        Gateway.Answer answer = gw.chat(id, PROMPT);
        check("gateway", answer.content());
        long upstream = upstreamSince(answer.startNanos());
        gateway.addNanos(answer.nanos());
        gatewayPre.addNanos(upstream - answer.startNanos());
        gatewayPost.addNanos(answer.startNanos() + answer.nanos() - upstream);
        measuredRequestIds.add(id);
        measuredNanos.put(id, answer.nanos());
        return answer.nanos();
    }

    /** One measured streamed gateway request. */
    private void streamedRequest(Gateway gw, int i) throws IOException, InterruptedException {
        String id = "bench-s" + i;
        Gateway.Answer answer = gw.chatStreamed(id, PROMPT);
        check("gateway streamed", answer.content());
        long upstream = upstreamSince(answer.startNanos());
        streamFirst.addNanos(answer.firstContentNanos());
        streamTotal.addNanos(answer.nanos());
        streamPre.addNanos(upstream - answer.startNanos());
        streamPostFirst.addNanos(answer.startNanos() + answer.firstContentNanos() - upstream);
        if (answer.nanos() - answer.firstContentNanos() < TimeUnit.MILLISECONDS.toNanos(1)) {
            streamsArrivingWhole++;
        }
        streamedRequestIds.add(id);
    }

    // --- 4. within the pool -----------------------------------------------------------------------

    private void measureConcurrent(Gateway gw, int perClient) throws Exception {
        say("within the pool: " + POOL_SIZE + " concurrent clients, " + perClient + " requests each");
        double coldBefore = Gateway.metric(gw.metrics(), "llm_cli_cold_starts_total");
        Queue<Exception> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < POOL_SIZE; c++) {
            int client = c;
            for (int i = 0; i < perClient; i++) {
                concurrentRequestIds.add("bench-c" + client + "-" + i);
            }
            clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perClient; i++) {
                        Gateway.Answer answer = gw.chat("bench-c" + client + "-" + i, PROMPT);
                        check("concurrent", answer.content());
                        concurrent.addNanos(answer.nanos());
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread client : clients) {
            client.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("concurrent clients failed");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
        String metricsAfter = gw.metrics();
        double coldAfter = Gateway.metric(metricsAfter, "llm_cli_cold_starts_total");
        List<JsonObject> sessions = gw.sessions();
        long overflow = sessions.stream().filter(s -> "overflow".equals(s.getString("origin", ""))).count();
        notes.put("concurrent.rate", String.format(Locale.ROOT, "%.1f", POOL_SIZE * perClient / seconds));
        notes.put("concurrent.coldBefore", String.format(Locale.ROOT, "%.0f", coldBefore));
        notes.put("concurrent.coldAfter", String.format(Locale.ROOT, "%.0f", coldAfter));
        notes.put("concurrent.overflow", Long.toString(overflow));
        notes.put("concurrent.sessions", String.join(", ", sessions.stream()
                .map(s -> s.getString("id", "?") + " (" + s.getString("origin", "?") + ", " + s.getString("state", "?")
                        + ", " + s.getJsonNumber("requests") + " requests)")
                .toList()));
        notes.put("concurrent.metrics", String.join(" ", Gateway.metricLines(metricsAfter, "llm_sessions_total")
                .stream().map(line -> line.replace("scope=\"application\",", "").replace(",}", "}")).toList()));
        say("within the pool: cold starts " + coldBefore + " → " + coldAfter + ", overflow sessions " + overflow);
    }

    // --- the request log, leftovers ---------------------------------------------------------------

    private void readRequestLog(Gateway gw) throws IOException {
        Map<String, JsonObject> log = gw.requestLog();
        for (String id : measuredRequestIds) {
            if (log.get(id) != null && log.get(id).get("latency_ms") instanceof JsonNumber latency) {
                gatewayServer.addMillis(latency.doubleValue());
            }
            if (log.get(id) != null && log.get(id).get("cli_turn_ms") instanceof JsonNumber turn) {
                gatewayTurn.addMillis(turn.doubleValue());
                gatewayOwn.addMillis(measuredNanos.get(id) / 1e6 - turn.doubleValue());
                if (log.get(id).get("latency_ms") instanceof JsonNumber latency) {
                    serverOwn.addMillis(latency.doubleValue() - turn.doubleValue());
                }
            }
            if (log.get(id) != null && log.get(id).containsKey("cli_reset_ms")) {
                inlineResets++;
            }
        }
        for (String id : streamedRequestIds) {
            if (log.get(id) != null && log.get(id).get("ttft_ms") instanceof JsonNumber ttft) {
                streamServerTtft.addMillis(ttft.doubleValue());
            }
            if (log.get(id) != null && log.get(id).containsKey("cli_reset_ms")) {
                streamInlineResets++;
            }
        }
        TreeMap<String, Integer> perSession = new TreeMap<>();
        long coldStarts = 0;
        int missing = 0;
        for (String id : concurrentRequestIds) {
            JsonObject line = log.get(id);
            if (line == null) {
                missing++;
                continue;
            }
            perSession.merge(line.getString("session", "?"), 1, Integer::sum);
            if (line.containsKey("cold_start")) {
                coldStarts++;
            }
        }
        notes.put("concurrent.logColdStarts", missing == 0 ? Long.toString(coldStarts) : coldStarts + " (" + missing
                + " requests not in the log)");
        notes.put("concurrent.perSession", perSession.toString());
        TreeSet<String> warmSessions = new TreeSet<>();
        for (String id : measuredRequestIds) {
            if (log.get(id) != null) {
                warmSessions.add(log.get(id).getString("session", "?"));
            }
        }
        notes.put("gateway.sessions", String.join(", ", warmSessions));
    }

    /** Waits a little for processes under the work directory to end, kills any that do not; says which. */
    private String checkLeftovers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<ProcessHandle> left = Children.runningUnder(work);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = Children.runningUnder(work);
        }
        if (left.isEmpty()) {
            return "none";
        }
        String which = left.stream().map(Children::describe).toList().toString();
        left.forEach(ProcessHandle::destroyForcibly);
        problems.add("processes left running after the run (killed): " + which);
        return left.size() + " (killed by the bench): " + which;
    }

    // --- the report -------------------------------------------------------------------------------

    private String report(String started, String loadBefore) {
        double ratio = gateway.p50() / cold.p50();
        double overhead = gatewayOwn.p50();
        double againstBare = gateway.p50() - bareTurn.p50();
        double[] interval = Samples.p50DifferenceInterval(gateway, bareTurn);
        double[] turnInterval = Samples.p50DifferenceInterval(gatewayTurn, bareTurn);
        double overheadWithClear = gateway.p50() - bareClearTurn.p50();
        boolean noColdStart = notes.get("concurrent.coldBefore").equals(notes.get("concurrent.coldAfter"))
                && "0".equals(notes.get("concurrent.overflow")) && "0".equals(notes.get("concurrent.logColdStarts"));

        StringBuilder out = new StringBuilder();
        out.append("# cli backend benchmark, ").append(started).append(" UTC\n\n");
        out.append("Prompt \"").append(PROMPT).append("\" everywhere; a fake Anthropic Messages API on loopback ")
                .append("(test-support's `FakeAnthropicApi`)\nanswers every call at once with \"").append(REPLY.text())
                .append("\" (").append(REPLY.deltas().size()).append(" text deltas). claude ")
                .append(notes.get("claude")).append(", `--model ").append(Claude.MODEL)
                .append(" --tools \"\" --system-prompt \"").append(Claude.SYSTEM_PROMPT)
                .append("\"`, a fresh\n`CLAUDE_CONFIG_DIR` and empty cwd per process, the gateway's environment. ")
                .append("Gateway: `LLM_BACKEND=cli`, `LLM_POOL_SIZE=").append(POOL_SIZE).append("`.\n")
                .append("Series 2 and 3 are interleaved (each iteration: bare `/clear` + turn, gateway request, ")
                .append("streamed request, `/health/live`)\nafter ").append(HTTP_WARMUP)
                .append(" `GET /health/live` and ").append(option("warmup", 10))
                .append(" warm-up iterations, with the gateway's HTTP and JSON path brought to the JIT's top tier by ")
                .append(notes.get("jit.warmup")).append(" to its mock backend (enabled next to cli for that).\n")
                .append("The client is a bare socket, one kept-alive connection per thread, reading the clock where ")
                .append("the bytes arrive. Latencies in ms; p50/p90 by nearest rank.\n\n");

        out.append("| measurement | n | p50 | p90 | min | max |\n|---|---:|---:|---:|---:|---:|\n");
        for (Samples samples : List.of(cold, bareTurn, bareClear, bareClearTurn, bareFirstDelta, bareClearFirstDelta,
                                       gateway, gatewayServer, gatewayTurn, gatewayOwn, streamFirst,
                                       streamTotal, streamServerTtft, live,
                                       concurrent)) {
            out.append(samples.row()).append('\n');
        }

        out.append("\n| target | measured | result |\n|---|---|---|\n");
        out.append("| warm/cold: gateway warm p50 ≤ 0.2 × cold p50 | ").append(fmt(ratio, "%.3f")).append(" (")
                .append(Samples.ms(gateway.p50())).append(" / ").append(Samples.ms(cold.p50())).append(" ms) | ")
                .append(verdict(ratio <= 0.2)).append(" |\n");
        out.append("| gateway overhead on the warm path < 5 ms: gateway latency − the CLI turn time, request by request ")
                .append("(client time − the `cli_turn_ms` the gateway logs for that request: user line written → `result` ")
                .append("read); a request that finds no clean session pays its `/clear` as overhead (")
                .append(inlineResets).append(" of ").append(gatewayOwn.count()).append(" did) | p50 ")
                .append(Samples.ms(gatewayOwn.p50())).append(" ms (p90 ").append(Samples.ms(gatewayOwn.p90()))
                .append(") | ").append(verdict(overhead < 5)).append(" |\n");
        out.append("| no cold start within the pool size (").append(POOL_SIZE).append(" concurrent clients, pool of ")
                .append(POOL_SIZE).append(") | `llm_cli_cold_starts_total` ").append(notes.get("concurrent.coldBefore"))
                .append(" → ").append(notes.get("concurrent.coldAfter")).append(", overflow sessions ")
                .append(notes.get("concurrent.overflow")).append(", `cold_start` in the request log ")
                .append(notes.get("concurrent.logColdStarts")).append(" | ").append(verdict(noColdStart))
                .append(" |\n");

        out.append("\nThe warm-path overhead, other ways (not targets):\n\n");
        out.append("- against a bare process: gateway warm p50 − bare turn p50 = ").append(Samples.ms(againstBare))
                .append(" ms (").append(Samples.ms(gateway.p50())).append(" − ").append(Samples.ms(bareTurn.p50()))
                .append("), 95% bootstrap interval ").append(Samples.ms(interval[0])).append(" … ")
                .append(Samples.ms(interval[1])).append("; median of the paired differences ")
                .append(Samples.ms(pairedTurn.p50())).append(" ms. Two processes' turns differ by a few ms from ")
                .append("one iteration to the next, so this is the noisier view of the same thing.\n");
        out.append("- the CLI's turn inside the gateway against the bare turn: `cli_turn_ms` p50 − bare turn p50 = ")
                .append(Samples.ms(gatewayTurn.p50() - bareTurn.p50())).append(" ms, 95% bootstrap interval ")
                .append(Samples.ms(turnInterval[0])).append(" … ").append(Samples.ms(turnInterval[1]))
                .append(": the gateway's way of driving the process (its stdout reader, line parsing, the pool) ")
                .append("does not make the turn itself slower when this spans 0.\n");
        out.append("- against the bare `/clear` + turn: gateway warm p50 − bare `/clear` + turn p50 = ")
                .append(Samples.ms(overheadWithClear)).append(" ms (paired: ").append(Samples.ms(pairedClearTurn.p50()))
                .append(" ms): what resetting in the background saves over a `/clear` (bare p50 ")
                .append(Samples.ms(bareClear.p50())).append(" ms) on every new conversation.\n");
        out.append("- server side: the gateway's own `latency_ms` − `cli_turn_ms`, request by request: p50 ")
                .append(Samples.ms(serverOwn.p50()))
                .append(" ms (leaves out the HTTP client and loopback; `GET /health/live` p50 is ")
                .append(Samples.ms(live.p50())).append(" ms).\n");
        out.append("- streamed: first content chunk p50 − bare turn to first `text_delta` p50 = ")
                .append(Samples.ms(streamFirst.p50() - bareFirstDelta.p50())).append(" ms (the streamed request ")
                .append("follows the non-streamed one at once, while the other session is still being reset, so it ")
                .append("waits for that `/clear`; ").append(streamInlineResets).append(" of ").append(streamFirst.count())
                .append(" paid one inline); the first content ")
                .append("chunk reached the client within 1 ms of `[DONE]` in ").append(streamsArrivingWhole)
                .append(" of ").append(streamFirst.count()).append(" streamed requests.\n");

        out.append("\nWhere the time goes, split where the upstream call reaches the fake (p50s, ms):\n\n");
        out.append("| stage | bare | gateway | gateway − bare |\n|---|---:|---:|---:|\n");
        out.append(stage("start → upstream call (bare: from writing `/clear`; gateway: from sending the request)",
                         barePre, gatewayPre));
        out.append(stage("upstream call → whole answer (bare: `result` line; gateway: response body read)",
                         barePost, gatewayPost));
        out.append(stage("streamed: start → upstream call", barePre, streamPre));
        out.append(stage("streamed: upstream call → first text (bare: `text_delta`; gateway: content chunk)",
                         barePostFirst, streamPostFirst));
        out.append("\nWithout the `/clear`, the bare user line reaches the upstream ")
                .append(Samples.ms(barePreNoClear.p50())).append(" ms after it is written (p50).\n");

        out.append("\nDetails:\n\n");
        out.append("- upstream calls: ").append(notes.get("cold.upstream")).append(" per cold run, ")
                .append(notes.get("bare.upstream.turn")).append(" per bare turn, ")
                .append(notes.get("bare.upstream.clear")).append(" per bare `/clear`, ")
                .append(notes.get("gateway.upstream")).append(" per gateway request; model asked for: ")
                .append(String.join(", ", new TreeSet<>(upstreamModels)))
                .append("; the most user and assistant messages in one call: ")
                .append(upstreamMessages.get())
                .append(upstreamMessages.get() == 1 ? " (every `/clear` emptied the context)" : "")
                .append('\n');
        out.append("- spawn to ready (answer to `initialize`) of the bare process: ").append(notes.get("bare.ready"))
                .append(" ms; gateway start to ").append(POOL_SIZE).append(" idle warm sessions: ")
                .append(notes.get("gateway.ready")).append(" ms\n");
        out.append("- warm gateway requests (3.) were served by sessions ").append(notes.get("gateway.sessions"))
                .append('\n');
        out.append("- within the pool (4.): ").append(notes.get("concurrent.rate"))
                .append(" req/s; requests per session ")
                .append(notes.get("concurrent.perSession")).append("; `/sessions` after: ")
                .append(notes.get("concurrent.sessions")).append("; `").append(notes.get("concurrent.metrics"))
                .append("`\n");
        out.append("- claude processes left running after the run: ").append(notes.get("leftovers"))
                .append(" (checked: every process whose cwd is in the run's temp dir)\n");

        out.append("\nMachine (shared and noisy: compare numbers within one run):\n\n");
        out.append("- nproc: ").append(Runtime.getRuntime().availableProcessors()).append("; CPU: ").append(cpu())
                .append('\n');
        out.append("- load average: ").append(loadBefore).append(" at the start, ").append(loadAverage())
                .append(" at the end; the run took ").append(notes.get("seconds")).append(" s\n");
        out.append("- java: ").append(System.getProperty("java.vm.vendor")).append(' ').append(Runtime.version())
                .append(" (bench and gateway)")
                .append(options.getOrDefault("java-opts", "").isEmpty() ? "" : "; gateway JAVA_OPTS: "
                        + options.get("java-opts"))
                .append('\n');
        out.append("- claude: ").append(notes.get("claude")).append('\n');
        out.append("- kernel: ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append('\n');
        if (options.containsKey("commit")) {
            out.append("- commit: ").append(options.get("commit")).append('\n');
        }
        return out.toString();
    }

    private static String stage(String name, Samples bare, Samples gateway) {
        return "| " + name + " | " + Samples.ms(bare.p50()) + " | " + Samples.ms(gateway.p50()) + " | "
                + Samples.ms(gateway.p50() - bare.p50()) + " |\n";
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** When the upstream call of an exchange started at {@code start} reached the fake. */
    private long upstreamSince(long start) {
        long at = upstreamAt;
        if (at < start) {
            throw new IllegalStateException("no upstream call was seen for the exchange just measured");
        }
        return at;
    }

    /** The user and assistant messages of an upstream call (the CLI also sends a {@code system} one). */
    private static int dialogueLength(RecordedRequest request) {
        return (int) request.messages().getValuesAs(JsonObject.class).stream()
                .filter(message -> List.of("user", "assistant").contains(message.getString("role", "")))
                .count();
    }

    private static void check(String what, String content) {
        if (!REPLY.text().equals(content)) {
            throw new IllegalStateException(what + ": expected the fake's text \"" + REPLY.text() + "\", got \""
                                                    + content + "\"");
        }
    }

    private static String perRun(long calls, int runs) {
        return fmt((double) calls / runs, calls % runs == 0 ? "%.0f" : "%.2f");
    }

    private static String fmt(double value, String format) {
        return String.format(Locale.ROOT, format, value);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**not met**";
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    private int option(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private static void say(String message) {
        System.err.println("bench: " + message);
    }
}
