package io.llmgateway.middleware.ratelimit;

import java.time.Duration;

/**
 * Durations the way OpenAI writes them in {@code x-ratelimit-reset-*}: {@code 20ms}, {@code 1s},
 * {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}.
 */
final class OpenAiDurations {

    /** Under a second, as every response's headers mostly say: written once, not on every request. */
    private static final String[] MILLIS = new String[1000];

    static {
        for (int millis = 0; millis < MILLIS.length; millis++) {
            MILLIS[millis] = millis + "ms";
        }
    }

    private OpenAiDurations() {
    }

    static String format(Duration duration) {
        long millis = Math.max(0, (duration.toNanos() + 999_999) / 1_000_000);
        if (millis < 1000) {
            return MILLIS[(int) millis];
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long secondsMillis = millis % 60_000;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        text.append(secondsMillis / 1000);
        long fraction = secondsMillis % 1000;
        if (fraction > 0) {
            text.append('.');
            // three digits, trailing zeros dropped: 500 -> "5", 50 -> "05", 5 -> "005"
            for (long unit = 100; fraction > 0; unit /= 10) {
                text.append(fraction / unit);
                fraction %= unit;
            }
        }
        return text.append('s').toString();
    }
}
