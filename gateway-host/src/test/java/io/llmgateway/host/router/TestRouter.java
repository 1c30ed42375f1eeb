package io.llmgateway.host.router;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Role;
import io.llmgateway.host.config.RoutingConfig;
import io.llmgateway.host.observe.GatewayMetrics;
import io.llmgateway.testing.ManualClock;
import io.llmgateway.testing.RecordingSink;
import io.llmgateway.testing.TestExchange;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The attempt loop over fake deployments: which deployment each attempt goes to, what the client gets, what the
 * breakers learn, and what a reload keeps.
 */
class TestRouter {

    private final Map<String, FakeDeploymentBackend> backends = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> started = new HashMap<>();
    private final ManualClock clock = new ManualClock();

    @Test
    void anOverloadedDeploymentFallsOverToTheNextTier() {
        Router router = router(settings(3, 5), model("m", target("a", 0), target("b", 1)));
        fake("a").failing(overloaded());

        Outcome outcome = call(router, "m", false);

        assertThat(outcome.text(), is("from b"));
        assertThat(outcome.exchange.responseHeaders().get("x-llm-deployment"), is("b"));
        assertThat(outcome.exchange.responseHeaders().get("x-llm-attempts"), is("2"));
        assertThat(fake("a").calls(), is(1));
    }

    @Test
    void whenEveryAttemptFailedTheClientIsToldNotToRetry() {
        Router router = router(settings(3, 5), model("m", target("a", 0), target("b", 1)));
        fake("a").failing(overloaded());
        fake("b").failing(overloaded());

        Outcome outcome = call(router, "m", false);

        assertThat(outcome.failure.status(), is(503));
        assertThat(outcome.attempts, is(3));
        assertThat(fake("a").calls() + fake("b").calls(), is(3));
        assertThat(outcome.exchange.responseHeaders().get("x-should-retry"), is("false"));
        assertThat(outcome.exchange.responseHeaders().get("x-llm-attempts"), is("3"));
    }

    @Test
    void oneTransientFailureWithNothingElseToTryLeavesTheRetryToTheClient() {
        Router router = router(settings(1, 5), model("m", target("a", 0)));
        fake("a").failing(overloaded());

        Outcome outcome = call(router, "m", false);

        assertThat(outcome.failure.status(), is(503));
        assertThat(outcome.exchange.responseHeaders().containsKey("x-should-retry"), is(false));
    }

    @Test
    void anOpenDeploymentIsSkippedNeverTried() {
        Router router = router(settings(3, 1), model("m", target("a", 0), target("b", 1)));
        fake("a").failing(overloaded());
        call(router, "m", false);
        assertThat(fake("a").calls(), is(1));

        for (int i = 0; i < 5; i++) {
            assertThat(call(router, "m", false).text(), is("from b"));
        }
        assertThat(fake("a").calls(), is(1));
        assertThat(breaker(router, "a").snapshot().state(), is(Breaker.State.OPEN));
    }

    @Test
    void whenEverythingIsOpenTheAnswerIsAt503AtOnceWithTheSoonestReopening() {
        Router router = router(settings(3, 1), model("m", target("a", 0)));
        fake("a").failing(overloaded());
        call(router, "m", false);
        int calls = fake("a").calls();

        Outcome outcome = call(router, "m", false);

        assertThat(outcome.failure.status(), is(503));
        assertThat(outcome.failure.getMessage(), containsString("cooling down"));
        assertThat(outcome.failure.retryAfter().orElseThrow().toSeconds() > 20, is(true));
        assertThat(fake("a").calls(), is(calls));
        assertThat(outcome.attempts, is(0));
    }

    @Test
    void aRetryAfterLongerThanTheRouterWaitsGoesToTheFallbackWithoutSleeping() {
        Router router = router(settings(3, 5), model("m", List.of("f"), target("a", 0)), model("f", target("c", 0)));
        fake("a").failing(GatewayException.rateLimited("slow down", "requests", Duration.ofSeconds(60)));
        long start = System.nanoTime();

        Outcome outcome = call(router, "m", false);

        assertThat(outcome.text(), is("from c"));
        assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofSeconds(1)));
        Breaker.Snapshot a = breaker(router, "a").snapshot();
        assertThat(a.state(), is(Breaker.State.OPEN));
        assertThat(a.openUntil().orElseThrow(), is(clock.instant().plusSeconds(60)));
    }

    @Test
    void aStreamThatFailsBeforeItsFirstDeltaIsServedElsewhere() {
        Router router = router(settings(3, 5), model("m", target("a", 0), target("b", 1)));
        fake("a").failing(GatewayException.badGateway("cut before anything"));

        Outcome outcome = call(router, "m", true);

        assertThat(outcome.text(), is("from b"));
    }

    @Test
    void aStreamThatFailsAfterItsFirstDeltaEndsThereAndNothingIsRepeated() {
        Router router = router(settings(3, 5), model("m", target("a", 0), target("b", 1)));
        fake("a").script((exchange, sink) -> {
            sink.emit(new ChatDelta.Text("partial"));
            throw GatewayException.badGateway("cut after a delta");
        });

        Outcome outcome = call(router, "m", true);

        assertThat(outcome.failure.getMessage(), is("cut after a delta"));
        assertThat(outcome.sink.completion().text(), is("partial"));
        assertThat(fake("b").calls(), is(0));
        assertThat(outcome.exchange.responseHeaders().get("x-llm-deployment"), is("a"));
    }

    @Test
    void aWholeAnswerKeepsNothingOfAFailedAttempt() {
        Router router = router(settings(3, 5), model("m", target("a", 0), target("b", 1)));
        fake("a").script((exchange, sink) -> {
            sink.emit(new ChatDelta.Text("partial"));
            throw GatewayException.badGateway("cut after a delta");
        });

        Outcome outcome = call(router, "m", false);

        assertThat(outcome.text(), is("from b"));
    }

    @Test
    void aDeploymentThatSendsNothingInTimeIsLeftBehindAndTheNextServes() throws Exception {
        RoutingConfig.Router settings = new RoutingConfig.Router(3, Duration.ofSeconds(30), 5, Duration.ofSeconds(30),
                                                                 Duration.ofSeconds(30), Duration.ofMinutes(5),
                                                                 Duration.ofMillis(200));
        Router router = router(settings, model("m", target("a", 0), target("b", 1)));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lateDeltasRefused = new AtomicInteger();
        fake("a").script((exchange, sink) -> {
            await(release);
            try {
                FakeDeploymentBackend.answer(sink, "too late");
            } catch (io.llmgateway.api.ClientDisconnectedException e) {
                lateDeltasRefused.incrementAndGet();
            }
        });
        long start = System.nanoTime();

        Outcome outcome = call(router, "m", true);

        assertThat(outcome.text(), is("from b"));
        assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofSeconds(2)));
        assertThat(outcome.exchange.responseHeaders().get("x-llm-attempts"), is("2"));
        assertThat(deployment(router, "a").inFlight(), is(1));
        assertThat(breaker(router, "a").snapshot().failures(), is(1));
        release.countDown();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (deployment(router, "a").inFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(deployment(router, "a").inFlight(), is(0));
        assertThat(lateDeltasRefused.get(), is(1));
        assertThat(outcome.sink.completion().text(), is("from b"));
    }

    @Test
    void aTimeoutOfAnAttemptLeftWithLittleOfTheRequestsTimeIsNotHeldAgainstItsDeployment() {
        Router router = router(settings(3, 1), model("m", target("a", 0), target("b", 1)));
        fake("a").script((exchange, sink) -> {
            clock.advance(Duration.ofSeconds(40)); // most of the request's 60 s go here
            throw overloaded();
        });
        fake("b").failing(GatewayException.timeout("no answer by the deadline"));

        Outcome outcome = call(router, "m", false);

        assertThat(outcome.failure.status(), is(504));
        assertThat(breaker(router, "a").snapshot().state(), is(Breaker.State.OPEN));
        assertThat(breaker(router, "b").snapshot().state(), is(Breaker.State.CLOSED));
    }

    @Test
    void aBadRequestIsNotTriedElsewhere() {
        Router router = router(settings(3, 5), model("m", target("a", 0), target("b", 1)));
        fake("a").failing(GatewayException.invalidRequest("no such field", "x"));

        Outcome outcome = call(router, "m", false);

        assertThat(outcome.failure.status(), is(400));
        assertThat(fake("b").calls(), is(0));
        assertThat(outcome.exchange.responseHeaders().get("x-should-retry"), is("false"));
        assertThat(breaker(router, "a").snapshot().failures(), is(0));
    }

    @Test
    void aRequestTooLongForTheModelGoesToItsContextWindowFallbackOnly() {
        RoutingConfig.Model small = new RoutingConfig.Model("small", false, RoutingConfig.Strategy.WEIGHTED,
                                                            List.of(target("a", 0)), List.of("other"), List.of("large"),
                                                            OptionalInt.of(8000), "test");
        Router router = router(settings(3, 1), small, model("other", target("o", 0)), model("large", target("l", 0)));
        fake("a").failing(new GatewayException(400, "invalid_request_error", Optional.of("context_length_exceeded"),
                                               Optional.of("messages"), "prompt is too long"));

        Outcome outcome = call(router, "small", false);

        assertThat(outcome.text(), is("from l"));
        assertThat(fake("o").calls(), is(0));
        assertThat(breaker(router, "a").snapshot().state(), is(Breaker.State.CLOSED));
    }

    @Test
    void anExhaustedAllowanceCoolsTheDeploymentUntilItResets() {
        Router router = router(settings(3, 5), model("m", target("cli", 0), target("api", 1)));
        fake("cli").failing(GatewayException.rateLimited("usage limit reached", "requests", Duration.ofHours(3))
                                    .withFailureKind(FailureKind.QUOTA_EXHAUSTED));

        assertThat(call(router, "m", false).text(), is("from api"));
        assertThat(call(router, "m", false).text(), is("from api"));

        assertThat(fake("cli").calls(), is(1));
        assertThat(breaker(router, "cli").snapshot().openUntil().orElseThrow(),
                   is(clock.instant().plus(Duration.ofHours(3))));
    }

    @Test
    void weightsSplitTheLoad() {
        Router router = router(settings(3, 5), new SplittableRandom(7),
                               model("m", target("a", 0, 2), target("b", 0, 1)));

        for (int i = 0; i < 9000; i++) {
            call(router, "m", false);
        }

        assertThat(fake("a").calls() / 9000.0, closeTo(2 / 3.0, 0.03));
    }

    @Test
    void latencyBalancingMovesTrafficOffADeploymentTenTimesSlower() {
        RoutingConfig.Model model = new RoutingConfig.Model("m", false, RoutingConfig.Strategy.LATENCY,
                                                            List.of(target("slow", 0), target("fast", 0)), List.of(),
                                                            List.of(), OptionalInt.empty(), "test");
        Router router = router(settings(3, 5), model);
        fake("slow").script((exchange, sink) -> {
            sleep(Duration.ofMillis(40));
            FakeDeploymentBackend.answer(sink, "slow");
        });
        fake("fast").script((exchange, sink) -> {
            sleep(Duration.ofMillis(2));
            FakeDeploymentBackend.answer(sink, "fast");
        });

        for (int i = 0; i < 200; i++) {
            call(router, "m", false);
        }

        assertThat(fake("slow").calls() + " of 200", fake("slow").calls() < 20, is(true));
    }

    @Test
    void leastInFlightSpreadsHeldCallsEvenlyAndCountsThemDownAgain() throws Exception {
        RoutingConfig.Model model = new RoutingConfig.Model("m", false, RoutingConfig.Strategy.LEAST_IN_FLIGHT,
                                                            List.of(target("a", 0), target("b", 0), target("c", 0)),
                                                            List.of(), List.of(), OptionalInt.empty(), "test");
        Router router = router(settings(3, 5), model);
        CountDownLatch release = new CountDownLatch(1);
        for (String name : List.of("a", "b", "c")) {
            fake(name).script((exchange, sink) -> {
                await(release);
                FakeDeploymentBackend.answer(sink, "held");
            });
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int before = totalCalls();
                calls.add(threads.submit(() -> call(router, "m", true)));
                while (totalCalls() == before) {
                    Thread.sleep(1);
                }
            }
            assertThat(List.of(fake("a").calls(), fake("b").calls(), fake("c").calls()), contains(10, 10, 10));
            release.countDown();
            for (Future<Outcome> call : calls) {
                assertThat(call.get(10, TimeUnit.SECONDS).text(), is("held"));
            }
        }
        for (Deployment deployment : router.state().deployments()) {
            assertThat(deployment.inFlight(), is(0));
        }
    }

    @Test
    void manyConcurrentCallsWhileOneOfTwoDeploymentsFailsAllSucceed() throws Exception {
        Router router = new Router(config(settings(3, 3), model("m", target("a", 0), target("b", 0))), this::start,
                                   clock, () -> ThreadLocalRandom.current().nextLong(), metrics());
        fake("a").failing(overloaded());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(threads.submit(() -> call(router, "m", i2(calls.size()))));
            }
            for (Future<Outcome> call : calls) {
                assertThat(call.get(10, TimeUnit.SECONDS).text(), is("from b"));
            }
        }
        assertThat(fake("b").calls(), is(200));
    }

    @Test
    void aReloadKeepsUnchangedDeploymentsAndClosesRemovedOnesOnceTheirCallsEnd() throws Exception {
        Router router = router(settings(3, 1), model("m", target("a", 0)), model("n", target("b", 0)));
        fake("a").failing(overloaded());
        call(router, "m", false);
        Deployment a = deployment(router, "a");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        fake("b").script((exchange, sink) -> {
            holding.countDown();
            await(release);
            FakeDeploymentBackend.answer(sink, "from b");
        });
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Outcome> held = threads.submit(() -> call(router, "n", true));
            assertThat(holding.await(5, TimeUnit.SECONDS), is(true));

            router.reload(config(settings(3, 1), model("m", target("a", 0)), model("n", target("c", 0))));

            assertThat(deployment(router, "a"), is(a));
            assertThat(breaker(router, "a").snapshot().state(), is(Breaker.State.OPEN));
            assertThat(started.get("a").get(), is(1));
            assertThat(call(router, "n", false).text(), is("from c"));
            assertThat(fake("b").closed(), is(false));
            release.countDown();
            assertThat(held.get(5, TimeUnit.SECONDS).text(), is("from b"));
        }
        assertThat(fake("b").closed(), is(true));
        assertThat(fake("a").closed(), is(false));
    }

    @Test
    void aReloadWhoseNewDeploymentFailsToStartKeepsTheOldState() {
        Router router = router(settings(3, 5), model("m", target("a", 0)));
        RouterState before = router.state();

        assertThrows(IllegalStateException.class,
                     () -> router.reload(config(settings(3, 5), model("m", target("a", 0)), model("x", target("broken", 0)))));

        assertThat(router.state(), is(before));
    }

    @Test
    void aRateLimitedModelDoesNotCoolTheDeploymentsOtherModels() {
        RoutingConfig.Model sonnet = new RoutingConfig.Model("sonnet", false, RoutingConfig.Strategy.WEIGHTED,
                                                             List.of(new RoutingConfig.Target("a", Optional.of("s-1"), 0, 1)),
                                                             List.of(), List.of(), OptionalInt.empty(), "test");
        RoutingConfig.Model haiku = new RoutingConfig.Model("haiku", false, RoutingConfig.Strategy.WEIGHTED,
                                                            List.of(new RoutingConfig.Target("a", Optional.of("h-1"), 0, 1)),
                                                            List.of(), List.of(), OptionalInt.empty(), "test");
        Router router = router(settings(1, 5), sonnet, haiku);
        fake("a").script((exchange, sink) -> {
            if (exchange.request().model().equals("s-1")) {
                throw GatewayException.rateLimited("slow down", "requests", Duration.ofSeconds(30));
            }
            FakeDeploymentBackend.answer(sink, "haiku served");
        });

        assertThat(call(router, "sonnet", false).failure.status(), is(429));
        assertThat(call(router, "sonnet", false).failure.status(), is(503));

        assertThat(call(router, "haiku", false).text(), is("haiku served"));
        assertThat(deployment(router, "a").breakers().get("s-1").snapshot().state(), is(Breaker.State.OPEN));
        assertThat(deployment(router, "a").breakers().get("h-1").snapshot().state(), is(Breaker.State.CLOSED));
    }

    @Test
    void aNameAClientInventsThroughAPatternCannotCoolTheDeploymentDown() {
        RoutingConfig.Model glob = new RoutingConfig.Model("claude-*", true, RoutingConfig.Strategy.WEIGHTED,
                                                           List.of(target("a", 0)), List.of(), List.of(),
                                                           OptionalInt.empty(), "test");
        Router router = router(settings(3, 1), glob);
        fake("a").script((exchange, sink) -> {
            if (exchange.request().model().equals("claude-invented")) {
                throw new GatewayException(404, "invalid_request_error", Optional.of("upstream_not_found"),
                                           Optional.empty(), "model: claude-invented").withFailureKind(
                        FailureKind.DEPLOYMENT_BROKEN);
            }
            FakeDeploymentBackend.answer(sink, "served");
        });

        for (int i = 0; i < 3; i++) {
            assertThat(call(router, "claude-invented", false).failure.status(), is(404));
        }

        assertThat(call(router, "claude-sonnet-4-5", false).text(), is("served"));
        assertThat(fake("a").calls(), is(4));
    }

    @Test
    void anUnknownModelIsA404AndCostsNoAttempt() {
        Router router = router(settings(3, 5), model("m", target("a", 0)));

        Outcome outcome = call(router, "invented", false);

        assertThat(outcome.failure.status(), is(404));
        assertThat(fake("a").calls(), is(0));
    }

    @Test
    void aPatternServesMatchingNamesUnderItsGlobAndPassesTheNameOn() {
        RoutingConfig.Model glob = new RoutingConfig.Model("claude-*", true, RoutingConfig.Strategy.WEIGHTED,
                                                           List.of(target("a", 0)), List.of(), List.of(),
                                                           OptionalInt.empty(), "test");
        Router router = router(settings(3, 5), glob);
        List<String> seen = new ArrayList<>();
        fake("a").script((exchange, sink) -> {
            seen.add(exchange.request().model());
            FakeDeploymentBackend.answer(sink, "ok");
        });

        try (RoutedCall call = router.call("claude-opus-4-1")) {
            assertThat(call.modelLabel(), is("claude-*"));
        }
        call(router, "claude-opus-4-1", false);

        assertThat(seen, contains("claude-opus-4-1"));
    }

    private static boolean i2(int index) {
        return index % 2 == 0;
    }

    private int totalCalls() {
        return backends.values().stream().mapToInt(FakeDeploymentBackend::calls).sum();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static GatewayException overloaded() {
        return GatewayException.unavailable("overloaded", Optional.of(Duration.ZERO));
    }

    private FakeDeploymentBackend fake(String name) {
        return backends.computeIfAbsent(name, FakeDeploymentBackend::new);
    }

    private FakeDeploymentBackend start(RoutingConfig.Deployment deployment) {
        if (deployment.name().equals("broken")) {
            throw new IllegalStateException("broken does not start");
        }
        started.computeIfAbsent(deployment.name(), unused -> new AtomicInteger()).incrementAndGet();
        return fake(deployment.name());
    }

    private Deployment deployment(Router router, String name) {
        return router.state().deployments().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    /** The deployment's only breaker (these tests send each deployment one model). */
    private Breaker breaker(Router router, String name) {
        return deployment(router, name).breakers().values().stream().findFirst().orElseThrow();
    }

    private Router router(RoutingConfig.Router settings, RoutingConfig.Model... models) {
        return router(settings, new SplittableRandom(1), models);
    }

    private Router router(RoutingConfig.Router settings, RandomGenerator random, RoutingConfig.Model... models) {
        return new Router(config(settings, models), this::start, clock, random, metrics());
    }

    private static RouterMetrics metrics() {
        return new RouterMetrics(GatewayMetrics.create(List::of).pluginMetrics());
    }

    private static RoutingConfig config(RoutingConfig.Router settings, RoutingConfig.Model... models) {
        List<RoutingConfig.Deployment> deployments = new ArrayList<>();
        for (RoutingConfig.Model model : models) {
            for (RoutingConfig.Target target : model.targets()) {
                if (deployments.stream().noneMatch(d -> d.name().equals(target.deployment()))) {
                    deployments.add(new RoutingConfig.Deployment(target.deployment(), "fake", Map.of(), List.of(), "test"));
                }
            }
        }
        return new RoutingConfig(deployments, List.of(models), settings, Map.of(), "test");
    }

    private static RoutingConfig.Router settings(int maxAttempts, int failures) {
        return new RoutingConfig.Router(maxAttempts, Duration.ofSeconds(30), failures, Duration.ofSeconds(30),
                                        Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    private static RoutingConfig.Model model(String name, RoutingConfig.Target... targets) {
        return model(name, List.of(), targets);
    }

    private static RoutingConfig.Model model(String name, List<String> fallbacks, RoutingConfig.Target... targets) {
        return new RoutingConfig.Model(name, false, RoutingConfig.Strategy.WEIGHTED, List.of(targets), fallbacks,
                                       List.of(), OptionalInt.empty(), "test");
    }

    private static RoutingConfig.Target target(String deployment, int priority) {
        return target(deployment, priority, 1);
    }

    private static RoutingConfig.Target target(String deployment, int priority, double weight) {
        return new RoutingConfig.Target(deployment, Optional.empty(), priority, weight);
    }

    private Outcome call(Router router, String model, boolean stream) {
        ChatRequest request = new ChatRequest(model, List.of(ChatMessage.of(Role.USER, "hi")), OptionalInt.empty(),
                                              OptionalDouble.empty(), OptionalDouble.empty(), List.of(), stream, false,
                                              Optional.empty(), OptionalLong.empty(), Map.of(),
                                              JsonValue.EMPTY_JSON_OBJECT);
        TestExchange exchange = new TestExchange(request, clock.instant().plusSeconds(60)).received(clock.instant());
        RecordingSink sink = new RecordingSink();
        try (RoutedCall call = router.call(model)) {
            try {
                call.chat(exchange, sink);
                return new Outcome(exchange, sink, null, call.attempts());
            } catch (GatewayException e) {
                return new Outcome(exchange, sink, e, call.attempts());
            }
        }
    }

    private record Outcome(TestExchange exchange, RecordingSink sink, GatewayException failure, int attempts) {
        String text() {
            if (failure != null) {
                throw new AssertionError("the call failed: " + failure.getMessage(), failure);
            }
            return sink.completion().text();
        }
    }
}
