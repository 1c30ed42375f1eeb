import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The failover part of bench/run-router: a steady, open-loop load at a fixed rate on one public model whose
 * priority-0 deployment is taken down at a known instant (its fake upstream killed, or stopped so that it
 * accepts connections and never answers), with every request's outcome recorded. A single-file program (JDK
 * only): {@code java bench/RouterFailover.java --url URL --body FILE --primary NAME --fallback NAME --pid PID
 * --signal KILL|STOP [--port PORT] [--rate 200] [--warmup-ms 2000] [--warmup-rate 1000] [--before-ms 2000]
 * [--after-ms 3000] [--wait-ms 10000] [--csv FILE]}.
 *
 * <p>Request {@code i} is due at {@code i / rate} seconds and is sent then on a virtual thread of its own, whether
 * or not earlier ones were answered, so a stalled gateway still receives the load. Its latency is counted from
 * that due time. A warm-up at {@code warmup-rate} comes first, unmeasured. The upstream goes down {@code before-ms}
 * after the first measured request was due: sent {@code SIGKILL} (then, with {@code --port}, the port is probed
 * until a connect is refused) or {@code SIGSTOP}. "Down" is the instant the shell that sends it was told to, so
 * the signal is at most the reported {@code signal_call_ms} later.
 *
 * <p>Prints one line, {@code FAILOVER key=value ...} (times in ms from "down", latencies in ms); with
 * {@code --csv}, one line per request: due, answered (ms from down), status, deployment, attempts, error.
 */
public final class RouterFailover {

    private RouterFailover() {
    }

    /** One request's outcome; times in nanoseconds of {@link System#nanoTime()}, status 0 for no answer. */
    private record Outcome(long due, long done, int status, String deployment, int attempts, String error) {
        double latencyMs() {
            return (done - due) / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        URI url = URI.create(options.get("--url"));
        String body = Files.readString(Path.of(options.get("--body"))).strip();
        String primary = options.get("--primary");
        String fallback = options.get("--fallback");
        long pid = Long.parseLong(options.get("--pid"));
        String signal = options.get("--signal");
        if (!signal.equals("KILL") && !signal.equals("STOP")) {
            throw new IllegalArgumentException("--signal must be KILL or STOP, not " + signal);
        }
        int port = Integer.parseInt(options.getOrDefault("--port", "0"));
        int rate = Integer.parseInt(options.getOrDefault("--rate", "200"));
        long warmupMs = Long.parseLong(options.getOrDefault("--warmup-ms", "2000"));
        int warmupRate = Integer.parseInt(options.getOrDefault("--warmup-rate", "1000"));
        long beforeMs = Long.parseLong(options.getOrDefault("--before-ms", "2000"));
        long afterMs = Long.parseLong(options.getOrDefault("--after-ms", "3000"));
        long waitMs = Long.parseLong(options.getOrDefault("--wait-ms", "10000"));
        long period = 1_000_000_000L / rate;

        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            HttpRequest request = HttpRequest.newBuilder(url).header("content-type", "application/json")
                    .timeout(Duration.ofMillis(waitMs)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            // the client's own classes, compiled code and connections, not measured
            load(client, request, (int) (warmupMs * warmupRate / 1000), 1_000_000_000L / warmupRate, waitMs, null);

            long[] down = new long[2]; // the signal call's start and end
            long[] refused = {0};
            Process signaller = signaller(pid, signal);
            Runnable takeDown = () -> {
                down[0] = System.nanoTime();
                signal(signaller);
                down[1] = System.nanoTime();
                if (signal.equals("KILL") && port > 0) {
                    refused[0] = firstRefusal(port, down[1] + TimeUnit.SECONDS.toNanos(5));
                }
            };
            int count = (int) ((beforeMs + afterMs) * rate / 1000);
            Outcome[] outcomes = load(client, request, count, period, waitMs,
                                      new Event(TimeUnit.MILLISECONDS.toNanos(beforeMs), takeDown));
            if (options.containsKey("--csv")) {
                writeCsv(Path.of(options.get("--csv")), outcomes, down[0]);
            }
            System.out.println(summary(outcomes, primary, fallback, down, refused[0], signal));
        }
    }

    /** Something to do once, this long after the first request was due. */
    private record Event(long afterNanos, Runnable action) {
    }

    /** Sends {@code count} requests, one every {@code period} ns, and waits for all of them. */
    private static Outcome[] load(HttpClient client, HttpRequest request, int count, long period, long waitMs,
                                  Event event) throws InterruptedException {
        Outcome[] outcomes = new Outcome[count];
        List<Thread> threads = new ArrayList<>(count);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        Thread eventThread = null;
        if (event != null) {
            eventThread = Thread.ofPlatform().start(() -> {
                sleepUntil(start + event.afterNanos());
                event.action().run();
            });
        }
        for (int i = 0; i < count; i++) {
            long due = start + i * period;
            sleepUntil(due);
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> outcomes[index] = call(client, request, due)));
        }
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs + 5000);
        for (Thread thread : threads) {
            thread.join(Duration.ofNanos(Math.max(1, giveUp - System.nanoTime())));
        }
        if (eventThread != null) {
            eventThread.join();
        }
        for (int i = 0; i < count; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = new Outcome(start + i * period, System.nanoTime(), 0, "", 0, "unanswered");
            }
        }
        return outcomes;
    }

    private static Outcome call(HttpClient client, HttpRequest request, long due) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            long done = System.nanoTime();
            String deployment = response.headers().firstValue("x-llm-deployment").orElse("");
            int attempts = Integer.parseInt(response.headers().firstValue("x-llm-attempts").orElse("0"));
            String error = response.statusCode() == 200 ? "" : oneLine(response.body());
            return new Outcome(due, done, response.statusCode(), deployment, attempts, error);
        } catch (IOException e) {
            return new Outcome(due, System.nanoTime(), 0, "", 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(due, System.nanoTime(), 0, "", 0, "interrupted");
        }
    }

    /**
     * A shell started ahead, waiting for a line on its stdin to send the signal with its built-in {@code kill}: no
     * fork or class loading between the clock and the signal.
     */
    private static Process signaller(long pid, String signal) throws IOException {
        return new ProcessBuilder("sh", "-c", "read go && kill -" + signal + " " + pid)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void signal(Process signaller) {
        try {
            signaller.getOutputStream().write('\n');
            signaller.getOutputStream().flush();
            if (signaller.waitFor() != 0) {
                throw new IllegalStateException("the signal was not sent: " + signaller.info().commandLine().orElse("sh"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("the signalling shell is gone", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@return when a connect to the port was first refused, 0 if not before the limit} */
    private static long firstRefusal(int port, long limit) {
        while (System.nanoTime() < limit) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
            } catch (ConnectException e) {
                return System.nanoTime();
            } catch (IOException e) {
                // a timeout: not refused yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return 0;
    }

    private static String summary(Outcome[] outcomes, String primary, String fallback, long[] down, long refused,
                                  String signal) {
        long at = down[0]; // the signal follows within the signal call's time
        Map<String, String> line = new LinkedHashMap<>();
        line.put("signal", signal);
        line.put("signal_call_ms", ms(down[1] - down[0]));
        line.put("refused_after_ms", refused == 0 ? "none" : ms(refused - at));
        line.put("sent", Integer.toString(outcomes.length));
        List<Outcome> before = select(outcomes, o -> o.due() < at);
        List<Outcome> after = select(outcomes, o -> o.due() >= at);
        line.put("sent_before", Integer.toString(before.size()));
        line.put("failed", Integer.toString(select(outcomes, o -> o.status() != 200).size()));
        line.put("failed_before", Integer.toString(select(before, o -> o.status() != 200).size()));
        line.put("failed_after_down", Integer.toString(select(after, o -> o.status() != 200).size()));
        line.put("statuses", statuses(outcomes));
        line.put("before_not_primary", Integer.toString(select(before, o -> !o.deployment().equals(primary)).size()));
        put(line, "before", before);
        // the first answer served by the fallback, whenever that request was sent
        Outcome first = null;
        for (Outcome o : outcomes) {
            if (o.status() == 200 && o.deployment().equals(fallback) && (first == null || o.done() < first.done())) {
                first = o;
            }
        }
        line.put("first_fallback_answer_ms", first == null ? "none" : ms(first.done() - at));
        line.put("first_fallback_due_ms", first == null ? "none" : ms(first.due() - at));
        long lastPrimary = Long.MIN_VALUE;
        for (Outcome o : outcomes) {
            if (o.status() == 200 && o.deployment().equals(primary)) {
                lastPrimary = Math.max(lastPrimary, o.done());
            }
        }
        line.put("last_primary_answer_ms", lastPrimary == Long.MIN_VALUE ? "none" : ms(lastPrimary - at));
        // requests that paid a failed attempt first, and the last of them: about when the breaker opened
        List<Outcome> retried = select(outcomes, o -> o.attempts() > 1);
        line.put("retried", Integer.toString(retried.size()));
        line.put("retried_ok", Integer.toString(select(retried, o -> o.status() == 200).size()));
        line.put("last_retried_due_ms", retried.isEmpty() ? "none" : ms(retried.getLast().due() - at));
        List<Outcome> firstSecond = select(after, o -> o.due() < at + TimeUnit.SECONDS.toNanos(1));
        put(line, "first_second", firstSecond);
        line.put("first_second_failed", Integer.toString(select(firstSecond, o -> o.status() != 200).size()));
        put(line, "first_second_retried", select(firstSecond, o -> o.attempts() > 1 && o.status() == 200));
        put(line, "later", select(after, o -> o.due() >= at + TimeUnit.SECONDS.toNanos(1)));
        StringBuilder text = new StringBuilder("FAILOVER");
        line.forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
        List<String> errors = select(outcomes, o -> o.status() != 200).stream().map(Outcome::error).distinct().limit(3)
                .toList();
        if (!errors.isEmpty()) {
            text.append(System.lineSeparator()).append("FAILOVER_ERRORS ").append(String.join(" | ", errors));
        }
        return text.toString();
    }

    /** Adds n, p50, p99 and max latency (ms) of the answered requests among these, under a prefix. */
    private static void put(Map<String, String> line, String prefix, List<Outcome> outcomes) {
        double[] latencies = outcomes.stream().filter(o -> o.status() == 200).mapToDouble(Outcome::latencyMs)
                .sorted().toArray();
        line.put(prefix + "_n", Integer.toString(outcomes.size()));
        line.put(prefix + "_p50_ms", percentile(latencies, 50));
        line.put(prefix + "_p99_ms", percentile(latencies, 99));
        line.put(prefix + "_max_ms", latencies.length == 0 ? "none" : fixed(latencies[latencies.length - 1]));
    }

    private static String statuses(Outcome[] outcomes) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Outcome o : outcomes) {
            counts.merge(o.status(), 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((status, n) -> text.append(text.isEmpty() ? "" : ",").append(status).append(':').append(n));
        return text.toString();
    }

    private static List<Outcome> select(Outcome[] outcomes, Predicate<Outcome> which) {
        return select(Arrays.asList(outcomes), which);
    }

    private static List<Outcome> select(List<Outcome> outcomes, Predicate<Outcome> which) {
        return outcomes.stream().filter(which).toList();
    }

    /** Nearest rank, of sorted values. */
    private static String percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return "none";
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return fixed(sorted[Math.max(0, Math.min(sorted.length, rank) - 1)]);
    }

    private static void writeCsv(Path file, Outcome[] outcomes, long at) throws IOException {
        List<String> lines = new ArrayList<>(outcomes.length + 1);
        lines.add("due_ms,answered_ms,status,deployment,attempts,error");
        for (Outcome o : outcomes) {
            lines.add(ms(o.due() - at) + "," + ms(o.done() - at) + "," + o.status() + "," + o.deployment() + ","
                              + o.attempts() + "," + o.error().replace(',', ';'));
        }
        Files.write(file, lines);
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private static void sleepUntil(long nanoTime) {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private static String ms(long nanos) {
        return fixed(nanos / 1e6);
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--url", "--body", "--primary", "--fallback", "--pid", "--signal")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required);
            }
        }
        return options;
    }
}
