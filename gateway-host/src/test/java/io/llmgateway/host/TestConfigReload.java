package io.llmgateway.host;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmgateway.backend.mock.MockBackendProvider;
import io.llmgateway.host.router.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

/**
 * A gateway configured by an {@code LLM_CONFIG} file: it serves the file's public names only, picks up changes
 * without failing a request, keeps unchanged deployments, and refuses a bad file while the old one serves on.
 */
class TestConfigReload {

    private static final String ONE = """
            deployments:
              - {name: mock-a, type: mock, settings: {response: from a}}
              - {name: mock-b, type: mock, settings: {response: from b}}
            models:
              - name: team-model
                deployments: [{use: mock-a, weight: 1}, {use: mock-b, weight: 1}]
            router: {max_attempts: 2}
            """;
    private static final String TWO = """
            deployments:
              - {name: mock-a, type: mock, settings: {response: from a}}
              - {name: mock-c, type: mock, settings: {response: from c}}
            models:
              - name: team-model
                deployments: [{use: mock-a, weight: 3}, {use: mock-c, weight: 1}]
            router: {max_attempts: 2}
            """;

    @TempDir
    Path dir;

    @Test
    void onlyTheFilesPublicNamesAreServedAndEachAnswerSaysWhereItCameFrom() throws IOException {
        Path file = write(ONE);
        try (RunningGateway gateway = start(file)) {
            HttpResponse<String> answer = gateway.chat(chat("team-model"));
            assertThat(answer.statusCode(), is(200));
            assertThat(answer.headers().firstValue("x-llm-deployment").orElseThrow().startsWith("mock-"), is(true));
            assertThat(answer.headers().firstValue("x-llm-attempts").orElseThrow(), is("1"));

            assertThat(gateway.chat(chat("claude-sonnet")).statusCode(), is(404));
            assertThat(gateway.chat(chat("mock")).statusCode(), is(404));

            String metrics = gateway.gateway().metrics().prometheus();
            assertThat(metrics, containsString("llm_deployment_attempts_total{deployment=\"mock-a\",outcome=\"success\""));
            assertThat(metrics, containsString("llm_deployment_state{deployment=\"mock-b\""));
            assertThat(metrics, containsString("llm_requests_total{backend=\"none\",model=\"none\""));
            assertThat(metrics.contains("model=\"claude-sonnet\""), is(false));
        }
    }

    @Test
    void aReloadUnderLoadFailsNoRequestAndKeepsTheUnchangedDeployment() throws Exception {
        Path file = write(ONE);
        try (RunningGateway gateway = start(file)) {
            Deployment kept = deployment(gateway, "mock-a");
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger served = new AtomicInteger();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> load = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    load.add(clients.submit(() -> {
                        while (running.get()) {
                            HttpResponse<String> answer = gateway.chat(chat("team-model"));
                            if (answer.statusCode() == 200) {
                                served.incrementAndGet();
                            } else {
                                failures.merge(answer.statusCode() + " " + answer.body(), 1, Integer::sum);
                            }
                        }
                    }));
                }
                long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                int swaps = 0;
                while (System.nanoTime() < until) {
                    replace(file, swaps++ % 2 == 0 ? TWO : ONE);
                    Thread.sleep(200);
                }
                running.set(false);
                for (Future<?> client : load) {
                    client.get(10, TimeUnit.SECONDS);
                }
            }
            assertThat(failures.toString(), failures.isEmpty(), is(true));
            assertThat(served.get(), greaterThan(100));
            assertThat(deployment(gateway, "mock-a"), sameInstance(kept));
            assertThat(metric(gateway, "llm_config_reloads_total{result=\"applied\""), greaterThan(3.0));
        }
    }

    @Test
    void aBadFileIsRefusedAndTheOldOneServesOn() throws Exception {
        Path file = write(ONE);
        try (RunningGateway gateway = start(file)) {
            replace(file, ONE.replace("response: from b", "respons: from b"));
            awaitMetric(gateway, "llm_config_reloads_total{result=\"refused\"", 1);
            replace(file, "deployments: [\n  {name: x");
            awaitMetric(gateway, "llm_config_reloads_total{result=\"refused\"", 2);

            assertThat(gateway.chat(chat("team-model")).statusCode(), is(200));
            assertThat(deployment(gateway, "mock-b").name(), is("mock-b"));

            replace(file, TWO);
            awaitMetric(gateway, "llm_config_reloads_total{result=\"applied\"", 1);
            HttpResponse<String> health = gateway.get("/health");
            assertThat(health.body(), containsString("mock-c"));
        }
    }

    private static Deployment deployment(RunningGateway gateway, String name) {
        return gateway.gateway().router().state().deployments().stream().filter(d -> d.name().equals(name))
                .findFirst().orElseThrow();
    }

    private static double metric(RunningGateway gateway, String prefix) {
        for (String line : gateway.gateway().metrics().prometheus().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static void awaitMetric(RunningGateway gateway, String prefix, double atLeast) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (metric(gateway, prefix) < atLeast) {
            if (System.nanoTime() > until) {
                throw new AssertionError(prefix + " never reached " + atLeast + ":\n" + gateway.gateway().metrics().prometheus());
            }
            Thread.sleep(20);
        }
    }

    private RunningGateway start(Path file) {
        return RunningGateway.start(Map.of("LLM_CONFIG", file.toString(), "LLM_CONFIG_POLL", "20ms"),
                                    List.of(new MockBackendProvider()), List.of());
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("gw.yaml"), text);
    }

    /** As an editor or kubelet would: a new file renamed over the old one. */
    private void replace(Path file, String text) throws IOException {
        Path next = Files.writeString(dir.resolve("gw.yaml.new"), text);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }
}
