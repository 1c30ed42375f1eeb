package io.llmgateway.backend.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * The Claude subscription's usage limit, reached: how a refused turn shows it, and what clients are told until it
 * resets. The CLI (2.1.328) refuses a turn for it with a {@code rate_limit_event} {@code rejected} carrying
 * {@code resetsAt} (only when the allowance changed), a synthetic notice ({@code "You've hit your 5-hour limit ·
 * resets 5:37pm (UTC)"}, {@code api_error} {@code usage_limit_reached}, the allowance in {@code api_error_params})
 * and an error result with the same text; older CLIs wrote only a result {@code "Claude AI usage limit
 * reached|<epoch>"}.
 *
 * @param resetsAt when requests may be served again
 * @param window   the window used up ({@code five_hour}, {@code seven_day}, ...), when the CLI named it
 */
record UsageLimit(Instant resetsAt, Optional<String> window) {

    static final String CODE = "usage_limit_reached";
    private static final Pattern OLDER = Pattern.compile("usage limit reached\\|(\\d{9,11})", Pattern.CASE_INSENSITIVE);

    /**
     * The usage limit a failed turn ran into, if that is why it failed.
     *
     * @param result       the turn's error result
     * @param notice       the turn's synthetic API-error {@code assistant} line, or an empty object
     * @param reported     the allowance a {@code rate_limit_event} of the turn reported, if any
     * @param now          the time
     * @param unknownReset how long to hold when the CLI names no reset time
     * @return the limit, empty when the turn failed for another reason
     */
    static Optional<UsageLimit> ofRefusedTurn(JsonObject result, JsonObject notice, Optional<RateLimitInfo> reported,
                                              Instant now, Duration unknownReset) {
        String text = result.getString("result", "");
        Matcher older = OLDER.matcher(text);
        boolean olderWords = older.find();
        boolean named = CODE.equals(result.getString("api_error", "")) || CODE.equals(notice.getString("api_error", ""));
        boolean worded = olderWords || text.toLowerCase(Locale.ROOT).contains("usage limit reached")
                || (text.startsWith("You've hit your") && "rate_limit".equals(notice.getString("error", "")));
        int status = result.get("api_error_status") instanceof JsonNumber number ? number.intValue() : 429;
        Optional<RateLimitInfo> rejected = reported.filter(RateLimitInfo::exhausted).filter(info -> status == 429);
        if (!named && !worded && rejected.isEmpty()) {
            return Optional.empty();
        }
        Optional<RateLimitInfo> params = notice.get("api_error_params") instanceof JsonObject errorParams
                ? RateLimitInfo.of(errorParams.get("rate_limit_info")) : Optional.empty();
        Optional<Instant> resetsAt = rejected.flatMap(RateLimitInfo::resetsAt)
                .or(() -> params.flatMap(RateLimitInfo::resetsAt))
                .or(() -> olderWords ? Optional.of(Instant.ofEpochSecond(Long.parseLong(older.group(1)))) : Optional.empty());
        Optional<String> window = rejected.flatMap(RateLimitInfo::window).or(() -> params.flatMap(RateLimitInfo::window));
        return Optional.of(new UsageLimit(resetsAt.filter(at -> at.isAfter(now)).orElse(now.plus(unknownReset)), window));
    }

    /**
     * What a request refused for the limit fails with: 429 {@code insufficient_quota} (OpenAI's type for a used-up
     * allowance), code {@code usage_limit_reached}, {@code Retry-After} until the reset, kind
     * {@link FailureKind#QUOTA_EXHAUSTED}.
     *
     * @param now the time
     * @return the failure
     */
    GatewayException failure(Instant now) {
        Duration wait = Duration.between(now, resetsAt);
        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
        String which = window.map(UsageLimit::windowName).map(name -> "its " + name + " usage limit")
                .orElse("its usage limit");
        return new GatewayException(429, "insufficient_quota", Optional.of(CODE), Optional.empty(),
                                    "The Claude subscription of the gateway's cli backend has reached " + which
                                            + "; it resets at " + resetsAt + " (in " + readable(seconds) + ")")
                .withRetryAfter(Duration.ofSeconds(seconds))
                .withFailureKind(FailureKind.QUOTA_EXHAUSTED);
    }

    /** The limit that lasts longer. */
    UsageLimit orLater(UsageLimit other) {
        return other.resetsAt.isAfter(resetsAt) ? other : this;
    }

    /** The window in the CLI's own words ({@code 5-hour}, {@code weekly}). */
    static String windowName(String window) {
        return switch (window) {
            case "five_hour" -> "5-hour";
            case "seven_day" -> "weekly";
            case "seven_day_opus" -> "weekly Opus";
            case "seven_day_sonnet" -> "weekly Sonnet";
            default -> window.replace('_', ' ');
        };
    }

    private static String readable(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        long minutes = (seconds + 59) / 60;
        return minutes < 120 ? minutes + " min" : (minutes / 60) + " h " + (minutes % 60) + " min";
    }
}
