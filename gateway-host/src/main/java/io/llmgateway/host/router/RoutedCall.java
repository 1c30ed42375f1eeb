package io.llmgateway.host.router;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.ClientDisconnectedException;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;
import io.llmgateway.host.config.RoutingConfig;

/**
 * One request's way through the router: the attempt loop. Each attempt goes to a deployment whose breaker lets it
 * through (an open one is skipped, never tried): first every untried deployment of the model, tier by tier, then of
 * each fallback model in order, then, after a backoff that honours {@code retry-after}, the ones that failed
 * transiently. Attempts stop at the first success, at a failure that no other deployment would change (a bad
 * request), once anything reached the client, or at {@code max_attempts}. The final error says what happened and,
 * after the gateway retried, {@code x-should-retry: false}, so the client's SDK does not multiply the attempts.
 */
public final class RoutedCall implements AutoCloseable {

    /** The label for a request whose model no configured name serves. */
    public static final String NONE = "none";
    private static final Duration SLEEP_SLICE = Duration.ofMillis(50);
    private static final int MAX_REASON = 200;

    private final RouterState state;
    private final String requested;
    private final Optional<PublicModel> model;
    private final Router.Parts parts;
    private final Runnable release;
    private boolean closed;
    private Route last;
    private int attempts;

    RoutedCall(RouterState state, String requested, Router.Parts parts, Runnable release) {
        this.state = state;
        this.requested = requested;
        this.model = state.model(requested);
        this.parts = parts;
        this.release = release;
    }

    /** Lets go of the routing state this call held (a reload closes what only old calls still used). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }

    /** {@return the public model (or pattern) serving the request, {@value #NONE} when none does: the metric label} */
    public String modelLabel() {
        return model.map(PublicModel::name).orElse(NONE);
    }

    /** {@return the type of the deployment that answered or was tried last, else of the model's first one} */
    public String backendType() {
        if (last != null) {
            return last.deployment().type();
        }
        return model.map(PublicModel::primaryType).orElse(NONE);
    }

    /** {@return the deployment that answered or was tried last} */
    public Optional<String> deployment() {
        return Optional.ofNullable(last).map(route -> route.deployment().name());
    }

    /** {@return the attempts made} */
    public int attempts() {
        return attempts;
    }

    /**
     * Serves the call: the end of the middleware chain.
     *
     * @param exchange the call
     * @param sink     where the answer goes
     * @throws GatewayException the last attempt's failure, or 404 for a model nobody serves, or 503 when every
     *                          deployment is cooling down
     */
    public void chat(ChatExchange exchange, ChatSink sink) {
        PublicModel primary = model.orElseThrow(() -> GatewayException.modelNotFound(requested));
        RoutingConfig.Router settings = state.config().router();
        List<PublicModel> groups = withFallbacks(primary, primary.fallbacks());
        Map<Deployment, Integer> tries = new HashMap<>();
        Map<Deployment, GatewayException> failedWith = new HashMap<>();
        Set<Deployment> out = new HashSet<>();
        Set<String> fellBackTo = new HashSet<>();
        boolean contextFallback = false;
        GatewayException failure = null;
        try {
            while (attempts < settings.maxAttempts()) {
                if (exchange.clientGone()) {
                    throw new ClientDisconnectedException(null);
                }
                if (!parts.clock().instant().isBefore(exchange.deadline())) {
                    break; // another attempt could only time out at once
                }
                boolean again = false;
                Pick pick = pick(groups, tries, out, exchange.deadline(), true);
                if (pick == null) {
                    pick = pick(groups, tries, out, exchange.deadline(), false);
                    again = true;
                }
                if (pick == null) {
                    break;
                }
                Deployment deployment = pick.route.deployment();
                if (again && failedWith.containsKey(deployment)) {
                    Duration wait = parts.backoff().delay(tries.get(deployment), failedWith.get(deployment).retryAfter());
                    if (wait.compareTo(settings.maxRetryWait()) > 0
                            || parts.clock().instant().plus(wait).isAfter(exchange.deadline())) {
                        pick.permit.neutral();
                        out.add(deployment);
                        continue;
                    }
                    sleep(wait, exchange);
                }
                attempts++;
                tries.merge(deployment, 1, Integer::sum);
                if (attempts > 1) {
                    parts.metrics().retried(deployment);
                }
                if (pick.model != primary && fellBackTo.add(pick.model.name())) {
                    parts.metrics().fellBack(primary.name(), pick.model.name());
                }
                last = pick.route;
                Optional<GatewayException> failed = attempt(exchange, sink, pick);
                if (failed.isEmpty()) {
                    return;
                }
                failure = failed.get();
                failedWith.put(deployment, failure);
                FailureKind kind = pick.route.kindOf(failure);
                if (kind == FailureKind.CONTEXT_WINDOW && !contextFallback
                        && !primary.contextWindowFallbacks().isEmpty()) {
                    contextFallback = true;
                    groups = withFallbacks(null, primary.contextWindowFallbacks());
                    continue;
                }
                if (!kind.blamesDeployment()) {
                    break;
                }
                if (!kind.transientFailure() || failure.retryAfter().filter(
                        wait -> wait.compareTo(settings.maxRetryWait()) > 0).isPresent()) {
                    out.add(deployment);
                }
            }
        } finally {
            if (last != null) {
                exchange.annotate("deployment", last.deployment().name());
                exchange.annotate("attempts", Integer.toString(attempts));
            }
        }
        if (failure != null) {
            throw finalError(failure, exchange);
        }
        if (!parts.clock().instant().isBefore(exchange.deadline())) {
            throw GatewayException.timeout("The request's deadline passed before a deployment could be tried");
        }
        throw allCoolingDown(primary, exchange);
    }

    /**
     * Runs one attempt; empty when it succeeded. A failure after the first delta is thrown: nothing can follow it.
     * With a first-delta timeout the attempt runs on a thread of its own, so that one that sends nothing in time can
     * be left behind (it then looks to its backend like a client that left) while the next deployment is tried.
     */
    private Optional<GatewayException> attempt(ChatExchange exchange, ChatSink sink, Pick pick) {
        Deployment deployment = pick.route.deployment();
        int number = attempts;
        AttemptSink attemptSink = new AttemptSink(sink, exchange.request().stream(),
                                                  () -> routeHeaders(exchange, deployment, number));
        AttemptExchange attemptExchange = new AttemptExchange(exchange, pick.route.modelFor(requested), deployment.type());
        Duration firstDeltaTimeout = state.config().router().firstDeltaTimeout();
        boolean fairChance = hadAFairChance(exchange);
        deployment.started();
        if (firstDeltaTimeout.isZero()) {
            try {
                return settle(pick, attemptSink, fairChance, () -> deployment.backend().chat(attemptExchange, attemptSink));
            } finally {
                deployment.ended();
            }
        }
        CompletableFuture<Void> run = new CompletableFuture<>();
        Thread.ofVirtual().name("attempt-" + exchange.requestId()).start(() -> {
            try {
                deployment.backend().chat(attemptExchange, attemptSink);
                run.complete(null);
            } catch (Throwable e) {
                run.completeExceptionally(e);
            } finally {
                deployment.ended();
            }
        });
        try {
            CompletableFuture.anyOf(attemptSink.firstDelta(), run).get(firstDeltaTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            attemptSink.abandon();
            attemptExchange.abandon();
            GatewayException late = GatewayException.timeout(
                    deployment.name() + " sent nothing within " + firstDeltaTimeout.toMillis() + " ms")
                    .withFailureKind(FailureKind.TIMEOUT);
            record(pick.permit, pick.route, late, true);
            return Optional.of(late);
        } catch (InterruptedException e) {
            attemptSink.abandon();
            attemptExchange.abandon();
            pick.permit.neutral();
            Thread.currentThread().interrupt();
            throw GatewayException.unavailable("The gateway is shutting down", Optional.of(Duration.ofSeconds(1)));
        } catch (ExecutionException e) {
            // it ended before its first delta: settled below like any ending
        }
        return settle(pick, attemptSink, fairChance, () -> joined(run));
    }

    /**
     * Whether an attempt starting now has at least half of the request's time: one that starts later (after
     * earlier attempts used the rest) and times out at the request's deadline says nothing of its deployment.
     */
    private boolean hadAFairChance(ChatExchange exchange) {
        Duration window = Duration.between(exchange.received(), exchange.deadline());
        Duration left = Duration.between(parts.clock().instant(), exchange.deadline());
        return left.compareTo(window.dividedBy(2)) >= 0;
    }

    /** Takes an attempt's ending: success, a failure to retry, or one to pass on. */
    private Optional<GatewayException> settle(Pick pick, AttemptSink attemptSink, boolean fairChance, Runnable attempt) {
        Deployment deployment = pick.route.deployment();
        try {
            attempt.run();
            pick.permit.succeeded();
            deployment.latency().observe(Duration.ofNanos(attemptSink.nanosToFirstDelta()), System.nanoTime());
            parts.metrics().succeeded(deployment);
            attemptSink.succeeded();
            return Optional.empty();
        } catch (GatewayException e) {
            record(pick.permit, pick.route, e, fairChance);
            if (attemptSink.committed()) {
                throw e;
            }
            return Optional.of(e);
        } catch (ClientDisconnectedException e) {
            pick.permit.neutral();
            throw e;
        } catch (RuntimeException e) {
            record(pick.permit, pick.route, GatewayException.internal("the backend failed: " + e.getClass().getSimpleName()),
                   true);
            throw e;
        }
    }

    /** Waits for an attempt on its own thread to end, rethrowing what it threw. */
    private static void joined(CompletableFuture<Void> run) {
        try {
            run.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case RuntimeException failure -> throw failure;
                case Error error -> throw error;
                default -> throw e;
            }
        }
    }

    /**
     * What a failed attempt says of its deployment, told to its breaker and latency estimate; a timeout of an attempt
     * that had no fair chance says nothing.
     */
    private void record(Breaker.Permit permit, Route route, GatewayException failure, boolean fairChance) {
        Deployment deployment = route.deployment();
        FailureKind kind = route.kindOf(failure);
        parts.metrics().failed(deployment, kind);
        boolean unfair = kind == FailureKind.TIMEOUT && !fairChance;
        if (!kind.blamesDeployment() || unfair || !state.config().router().cooldowns()) {
            permit.neutral();
            return;
        }
        Optional<Instant> until = failure.retryAfter().map(parts.clock().instant()::plus);
        String reason = kind.name().toLowerCase(Locale.ROOT) + ": " + capped(failure.getMessage());
        Breaker.Failure said = switch (kind) {
            case RATE_LIMITED -> until.isPresent() ? Breaker.Failure.opening(until, reason) : Breaker.Failure.counting(reason);
            case QUOTA_EXHAUSTED, DEPLOYMENT_BROKEN -> Breaker.Failure.opening(until, reason);
            default -> Breaker.Failure.counting(reason);
        };
        boolean wasOpen = route.breaker().snapshot().state() == Breaker.State.OPEN;
        permit.failed(said);
        deployment.latency().failed(System.nanoTime());
        if (!wasOpen && route.breaker().snapshot().state() == Breaker.State.OPEN) {
            parts.metrics().cooledDown(deployment, kind);
        }
    }

    /**
     * The next deployment to try: the first tier (of the model, then of each fallback) with a candidate whose
     * breaker lets an attempt through, picked by the model's balancer among those with room.
     */
    private Pick pick(List<PublicModel> groups, Map<Deployment, Integer> tries, Set<Deployment> out, Instant deadline,
                      boolean untriedOnly) {
        for (PublicModel group : groups) {
            for (List<Route> tier : group.tiers()) {
                List<Route> candidates = new ArrayList<>(tier.size());
                for (Route route : tier) {
                    Deployment deployment = route.deployment();
                    if (!out.contains(deployment) && (!untriedOnly || !tries.containsKey(deployment))) {
                        candidates.add(route);
                    }
                }
                while (!candidates.isEmpty()) {
                    List<Route> roomy = candidates.stream().filter(Route::hasRoom).toList();
                    Route route = group.balancer().pick(roomy.isEmpty() ? candidates : roomy).orElseThrow();
                    Optional<Breaker.Permit> permit = route.breaker().tryAcquire(deadline);
                    if (permit.isPresent()) {
                        return new Pick(group, route, permit.get());
                    }
                    candidates.remove(route);
                }
            }
        }
        return null;
    }

    private List<PublicModel> withFallbacks(PublicModel first, List<String> fallbacks) {
        List<PublicModel> groups = new ArrayList<>(1 + fallbacks.size());
        if (first != null) {
            groups.add(first);
        }
        fallbacks.forEach(name -> state.byName(name).ifPresent(groups::add));
        return groups;
    }

    /** Waits before a retry, in slices, so a client that leaves meanwhile is noticed. */
    private void sleep(Duration wait, ChatExchange exchange) {
        long until = System.nanoTime() + wait.toNanos();
        try {
            for (long left = wait.toNanos(); left > 0; left = until - System.nanoTime()) {
                Thread.sleep(Duration.ofNanos(Math.min(left, SLEEP_SLICE.toNanos())));
                if (exchange.clientGone()) {
                    throw new ClientDisconnectedException(null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.unavailable("The gateway is shutting down", Optional.of(Duration.ofSeconds(1)));
        }
    }

    private void routeHeaders(ChatExchange exchange, Deployment deployment, int number) {
        exchange.responseHeader("x-llm-deployment", deployment.name());
        exchange.responseHeader("x-llm-attempts", Integer.toString(number));
    }

    /** The last failure, with what the client needs to decide: the gateway retried already, so the SDK should not. */
    private GatewayException finalError(GatewayException failure, ChatExchange exchange) {
        routeHeaders(exchange, last.deployment(), attempts);
        if (attempts > 1 || !last.kindOf(failure).transientFailure()) {
            exchange.responseHeader("x-should-retry", "false");
        }
        return failure;
    }

    /** Every deployment of the model and its fallbacks is open: say so at once, with the soonest reopening. */
    private GatewayException allCoolingDown(PublicModel primary, ChatExchange exchange) {
        Instant now = parts.clock().instant();
        Optional<Instant> soonest = Optional.empty();
        List<String> open = new ArrayList<>();
        for (PublicModel group : withFallbacks(primary, primary.fallbacks())) {
            for (List<Route> tier : group.tiers()) {
                for (Route route : tier) {
                    Breaker.Snapshot snapshot = route.breaker().snapshot();
                    open.add(route.deployment().name() + (snapshot.reason().isEmpty() ? "" : " (" + snapshot.reason() + ")"));
                    Optional<Instant> until = snapshot.openUntil().filter(now::isBefore);
                    if (until.isPresent() && (soonest.isEmpty() || until.get().isBefore(soonest.get()))) {
                        soonest = until;
                    }
                }
            }
        }
        Duration wait = soonest.map(at -> Duration.between(now, at)).orElse(Duration.ofSeconds(1));
        return GatewayException.unavailable("Every deployment serving the model '" + primary.name()
                                                    + "' is cooling down after failures: " + String.join(", ", open),
                                            Optional.of(wait));
    }

    private static String capped(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
    }

    private record Pick(PublicModel model, Route route, Breaker.Permit permit) {
    }
}
