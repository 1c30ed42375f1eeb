package io.llmgateway.middleware.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatMessage;
import io.llmgateway.api.ChatRequest;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.ContentPart;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.TokenUsage;

/**
 * Admits a call when the caller (its tenant, else its address) has a request and enough tokens left
 * this minute, reserving the tokens the call may use: an estimate of the prompt plus {@code max_tokens}
 * (or a default). When the call ends the reservation is corrected with the real usage, also for
 * streams, so a burst of calls cannot overshoot the limit. Every answer carries OpenAI's
 * {@code x-ratelimit-*} headers; a refused call gets a 429 with {@code Retry-After}.
 */
final class RateLimitMiddleware implements Middleware {

    /** Per-message framing, as OpenAI counts it. */
    private static final int TOKENS_PER_MESSAGE = 4;
    private static final int CHARS_PER_TOKEN = 4;
    private static final int TOKENS_PER_IMAGE = 1000;

    private final RateLimitStore store;
    private final Limits defaults;
    private final Function<String, Optional<Limits>> tenantLimits;
    private final long completionEstimate;
    private final Clock clock;

    RateLimitMiddleware(RateLimitStore store, Limits defaults, Function<String, Optional<Limits>> tenantLimits,
                        long completionEstimate, Clock clock) {
        this.store = store;
        this.defaults = defaults;
        this.tenantLimits = tenantLimits;
        this.completionEstimate = completionEstimate;
        this.clock = clock;
    }

    @Override
    public void handle(ChatExchange exchange, ChatSink sink, Chain next) {
        Optional<String> tenant = exchange.tenant();
        String caller = tenant.isPresent() ? "tenant:" + tenant.get() : "client:" + exchange.clientAddress();
        Limits limits = tenant.flatMap(tenantLimits).map(defaults::overriddenBy).orElse(defaults);
        long reserved = estimate(exchange.request());
        refuseIfNeverFits(limits, reserved);

        RateLimitStore.Admission admission = store.admit(caller, limits, reserved, clock.instant());
        admission.requests().ifPresent(bucket -> headers(exchange, REQUEST_HEADERS, bucket));
        admission.tokens().ifPresent(bucket -> headers(exchange, TOKEN_HEADERS, bucket));
        if (!admission.admitted()) {
            String limit = admission.exceeded().orElse("requests");
            throw GatewayException.rateLimited("Rate limit reached for " + limit + " per minute; retry after "
                                                       + OpenAiDurations.format(admission.retryAfter()), limit,
                                               admission.retryAfter());
        }

        UsageWatch watch = new UsageWatch(sink);
        try {
            next.proceed(watch);
        } finally {
            long used = watch.usage.map(TokenUsage::totalTokens)
                    // a call that failed before answering used nothing; one cut off mid-answer keeps its reservation
                    .orElse(watch.answered ? reserved : 0);
            if (limits.tokensPerMinute().isPresent() && used != reserved) {
                store.correctTokens(caller, limits, used - reserved, clock.instant());
            }
        }
    }

    /** Prompt characters / 4, plus framing per message, plus the completion the call may produce. */
    long estimate(ChatRequest request) {
        long tokens = 0;
        for (ChatMessage message : request.messages()) {
            tokens += TOKENS_PER_MESSAGE;
            for (ContentPart part : message.content()) {
                tokens += switch (part) {
                    case ContentPart.Text(String text) -> (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
                    case ContentPart.Image image -> TOKENS_PER_IMAGE;
                };
            }
        }
        return tokens + request.maxTokens().orElse((int) Math.min(Integer.MAX_VALUE, completionEstimate));
    }

    private static void refuseIfNeverFits(Limits limits, long reserved) {
        if (limits.tokensPerMinute().isPresent() && reserved > limits.tokensPerMinute().getAsLong()) {
            throw GatewayException.rateLimited("Request too large: it may use " + reserved + " tokens (prompt estimate"
                                                       + " plus max_tokens), more than the limit of "
                                                       + limits.tokensPerMinute().getAsLong()
                                                       + " tokens per minute; lower max_tokens or shorten the prompt",
                                               "tokens", Duration.ofMinutes(1));
        }
    }

    private static void headers(ChatExchange exchange, HeaderNames names, RateLimitStore.Bucket bucket) {
        exchange.responseHeader(names.limit(), Long.toString(bucket.limit()));
        exchange.responseHeader(names.remaining(), Long.toString(bucket.remaining()));
        exchange.responseHeader(names.reset(), OpenAiDurations.format(bucket.reset()));
    }

    private static final HeaderNames REQUEST_HEADERS = new HeaderNames("requests");
    private static final HeaderNames TOKEN_HEADERS = new HeaderNames("tokens");

    /** OpenAI's header names for one kind of limit. */
    private record HeaderNames(String limit, String remaining, String reset) {
        HeaderNames(String kind) {
            this("x-ratelimit-limit-" + kind, "x-ratelimit-remaining-" + kind, "x-ratelimit-reset-" + kind);
        }
    }

    /** Passes deltas on, noting the usage and whether any answer went out. */
    private static final class UsageWatch implements ChatSink {
        private final ChatSink sink;
        private Optional<TokenUsage> usage = Optional.empty();
        private boolean answered;

        private UsageWatch(ChatSink sink) {
            this.sink = sink;
        }

        @Override
        public void emit(ChatDelta delta) {
            switch (delta) {
                case ChatDelta.Usage(TokenUsage counted) -> usage = Optional.of(counted);
                case ChatDelta.Finish finish -> { }
                default -> answered = true;
            }
            sink.emit(delta);
        }
    }
}
