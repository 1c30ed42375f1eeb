package io.llmgateway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.RawHttpConnection;
import io.llmgateway.testing.Reply;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cli and an api gateway left idle past 40 s, then a minute of mixed load: plain and streamed calls,
 * clients that send slowly, leave mid-stream or before the answer, bad bodies, upstream faults (529s,
 * streams cut) and, on cli, a session killed. At the end every request that was sent whole is accounted
 * for by exactly one log line (answered, or logged as cut), none of them a 500, and the gateways' file
 * descriptors, threads and heap are back near where they started.
 */
final class TestSoak {

    private static final Duration IDLE = Duration.ofSeconds(42);
    private static final Duration LOAD = Duration.ofSeconds(60);
    private static final Duration READ = Duration.ofSeconds(30);
    private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\"(soak-[^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":(\\d+)");

    @Test
    void idleThenMixedLoadLosesNothingAndLeaksNothing() throws Exception {
        try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
            api.replyWith(TestSoak::reply);
            Map<String, String> cliSettings = new HashMap<>(RealClaude.gatewaySettings(api, Map.of(
                    "LLM_POOL_MAX_OVERFLOW", "2", "LLM_POOL_OVERFLOW_IDLE", "5", "LLM_HEADER_TIMEOUT", "10",
                    // the faults here belong to requests (a prompt that always fails), not to the deployment, which
                    // must not be cooled down for them: the soak counts answers, the router's cooldowns are tested apart
                    "LLM_BREAKER_FAILURES", "0")));
            try (GatewayProcess cli = GatewayProcess.start("soak-cli", cliSettings);
                 GatewayProcess apiGateway = GatewayProcess.start("soak-api", Map.of(
                         "LLM_BACKEND", "api", "ANTHROPIC_API_KEY", "sk-ant-soak", "ANTHROPIC_BASE_URL", api.baseUrl(),
                         "LLM_MAX_ATTEMPTS", "2", "LLM_HEADER_TIMEOUT", "10", "LLM_BREAKER_FAILURES", "0"))) {
                for (GatewayProcess gateway : List.of(cli, apiGateway)) {
                    warmUp(gateway);
                }
                Resources cliBefore = Resources.of(cli);
                Resources apiBefore = Resources.of(apiGateway);

                Thread.sleep(IDLE.toMillis());

                Load cliLoad = new Load(cli, "cli");
                Load apiLoad = new Load(apiGateway, "api");
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    long until = System.nanoTime() + LOAD.toNanos();
                    for (int i = 0; i < 3; i++) {
                        clients.submit(() -> cliLoad.run(until));
                    }
                    for (int i = 0; i < 8; i++) {
                        clients.submit(() -> apiLoad.run(until));
                    }
                    clients.submit(() -> killOneSessionHalfway(cli, until));
                }

                for (Load load : List.of(cliLoad, apiLoad)) {
                    load.assertAccountedFor();
                }
                // overflow sessions retire after 5 idle seconds; connections have closed
                Thread.sleep(8_000);
                cliBefore.assertNear(Resources.of(cli), "cli");
                apiBefore.assertNear(Resources.of(apiGateway), "api");
            }
        }
    }

    private static Reply reply(io.llmgateway.testing.RecordedRequest request) {
        String text = request.lastUserText();
        if (text.contains("[overloaded]")) {
            return Reply.overloaded();
        }
        if (text.contains("[cut]")) {
            return Reply.cut("partial ");
        }
        if (text.contains("[slow]")) {
            return Reply.text("one ", "two ", "three ", "four").withGap(Duration.ofMillis(150));
        }
        return Reply.text("fine ", "answer");
    }

    private static void warmUp(GatewayProcess gateway) {
        for (int i = 0; i < 5; i++) {
            Chat.content(gateway.client().chat().completions().create(Chat.ask("claude-sonnet", "warm up " + i)));
        }
    }

    private static void killOneSessionHalfway(GatewayProcess cli, long until) {
        try {
            Thread.sleep((until - System.nanoTime()) / 2_000_000);
            Sessions.of(cli).stream()
                    .filter(session -> session.getString("state").equals("busy") || session.getString("state").equals("idle"))
                    .filter(session -> !session.isNull("pid"))
                    .findFirst()
                    .flatMap(session -> ProcessHandle.of(session.getJsonNumber("pid").longValue()))
                    .ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One gateway's share of the load and what its clients sent whole. */
    private static final class Load {
        private final GatewayProcess gateway;
        private final String name;
        private final AtomicInteger sequence = new AtomicInteger();
        private final Set<String> sent = ConcurrentHashMap.newKeySet();

        Load(GatewayProcess gateway, String name) {
            this.gateway = gateway;
            this.name = name;
        }

        void run(long until) {
            while (System.nanoTime() < until) {
                int n = sequence.incrementAndGet();
                String id = "soak-" + name + "-" + n;
                try {
                    switch (n % 9) {
                        case 0 -> exchange(id, false, "plain", false);
                        case 1 -> exchange(id, true, "stream [slow]", false);
                        case 2 -> slowSender(id);
                        case 3 -> leaveMidStream(id);
                        case 4 -> leaveBeforeTheAnswer(id);
                        case 5 -> exchange(id, false, "fault [overloaded]", false);
                        case 6 -> exchange(id, true, "fault [cut]", false);
                        case 7 -> badBody(id);
                        default -> exchange(id, true, "plain stream", true);
                    }
                } catch (UncheckedIOException e) {
                    // a connection the gateway closed on purpose (a timeout) or one the client dropped
                }
            }
        }

        private void exchange(String id, boolean stream, String prompt, boolean keepAlive) {
            try (RawHttpConnection connection = RawHttpConnection.open(gateway.port())) {
                send(connection, id, stream, prompt);
                RawHttpConnection.Response response = connection.read(READ);
                if (response.status() == 200 && stream && !prompt.contains("[cut]")) {
                    assertTrue(response.body().contains("data: [DONE]"), id + ": " + response.body());
                }
                if (keepAlive) {
                    connection.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertEquals(200, connection.read(READ).status(), id + ": the kept-alive connection");
                }
            }
        }

        private void slowSender(String id) {
            String body = body(false, "slowly sent");
            String request = head(id, body.length()) + body;
            try (RawHttpConnection connection = RawHttpConnection.open(gateway.port())) {
                if (connection.trickle(request, Duration.ofMillis(5)) == request.length()) {
                    sent.add(id);
                    assertEquals(200, connection.read(READ).status(), id);
                }
            }
        }

        private void leaveMidStream(String id) {
            try (RawHttpConnection connection = RawHttpConnection.open(gateway.port())) {
                send(connection, id, true, "leave mid-stream [slow]");
                connection.readHead(READ);
            }
        }

        private void leaveBeforeTheAnswer(String id) {
            try (RawHttpConnection connection = RawHttpConnection.open(gateway.port())) {
                send(connection, id, false, "leave before the answer [slow]");
            }
        }

        private void badBody(String id) {
            String body = "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} trailing";
            try (RawHttpConnection connection = RawHttpConnection.open(gateway.port())) {
                connection.send(head(id, body.length()) + body);
                sent.add(id);
                assertEquals(400, connection.read(READ).status(), id);
            }
        }

        private void send(RawHttpConnection connection, String id, boolean stream, String prompt) {
            String body = body(stream, prompt + " " + id);
            connection.send(head(id, body.length()) + body);
            sent.add(id);
        }

        private static String head(String id, int length) {
            return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Request-Id: " + id
                    + "\r\nContent-Length: " + length + "\r\n\r\n";
        }

        private static String body(boolean stream, String prompt) {
            return "{\"model\":\"claude-sonnet\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + prompt + "\"}]}";
        }

        void assertAccountedFor() throws InterruptedException {
            Map<String, List<Integer>> logged = new HashMap<>();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                logged.clear();
                for (String line : gateway.stdoutLines()) {
                    Matcher id = REQUEST_ID.matcher(line);
                    Matcher status = STATUS.matcher(line);
                    if (id.find() && status.find()) {
                        logged.computeIfAbsent(id.group(1), k -> new ArrayList<>()).add(Integer.parseInt(status.group(1)));
                    }
                }
                if (logged.keySet().containsAll(sent) || System.nanoTime() > until) {
                    break;
                }
                Thread.sleep(200);
            }
            List<String> missing = sent.stream().filter(id -> !logged.containsKey(id)).sorted().toList();
            assertTrue(missing.isEmpty(), name + ": sent but never logged: " + missing);
            List<String> twice = logged.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
            assertTrue(twice.isEmpty(), name + ": logged more than once: " + twice);
            List<String> failures = logged.entrySet().stream().filter(e -> e.getValue().contains(500))
                    .map(Map.Entry::getKey).toList();
            assertTrue(failures.isEmpty(), name + ": answered 500: " + failures);
            assertTrue(sent.size() > 50, name + ": only " + sent.size() + " requests in a minute");
            System.out.println(name + ": " + sent.size() + " requests sent whole, each logged once; statuses "
                                       + logged.values().stream().flatMap(List::stream)
                    .collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.TreeMap::new,
                                                                    java.util.stream.Collectors.counting())));
        }
    }

    /** What a gateway process holds: open files, threads, and its heap after a full collection. */
    private record Resources(long fds, long threads, long heapBytes) {

        static Resources of(GatewayProcess gateway) {
            long pid = gateway.pid();
            try (var entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                long fds = entries.count();
                long threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                        .filter(line -> line.startsWith("Threads:"))
                        .mapToLong(line -> Long.parseLong(line.substring(8).strip()))
                        .findFirst().orElseThrow();
                return new Resources(fds, threads, heapAfterGc(pid));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void assertNear(Resources after, String name) {
            String both = name + ": before " + this + ", after " + after;
            System.out.println(both);
            assertTrue(after.fds() <= fds() + 16, both);
            assertTrue(after.threads() <= threads() + 16, both);
            assertTrue(after.heapBytes() <= heapBytes() + (64L << 20), both);
        }

        /** The used heap after {@code jcmd GC.run}, from {@code GC.heap_info}'s "used" figure in K. */
        private static long heapAfterGc(long pid) {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            try {
                new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start()
                        .waitFor();
                Process info = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                        .redirectErrorStream(true).start();
                String text = new String(info.getInputStream().readAllBytes());
                info.waitFor();
                Matcher used = Pattern.compile("used (\\d+)K").matcher(text);
                if (!used.find()) {
                    throw new IllegalStateException("no heap figure in: " + text);
                }
                return Long.parseLong(used.group(1)) * 1024;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
