package io.llmgateway.host.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secrets the gateway was configured with, and their removal from text: from every error body a client
 * gets, every diagnostic log line and every request log line. An upstream that echoes the key it was sent (in
 * full or cut short) must not hand the gateway's key to a caller or to whoever reads the logs.
 *
 * <p>A secret is masked where it appears whole, or where its first {@value #PREFIX} characters appear followed
 * by more key characters (an echo cut short). Scrubbing costs one pass over the text whatever the number of
 * secrets (a rolling hash of every {@value #WINDOW}-character window, looked up in a bit filter), so the keys of
 * a large keys file can be masked in every log line.
 */
public final class Secrets {

    /** No secrets: text passes unchanged. */
    public static final Secrets NONE = new Secrets(Set.of());

    /** Names of variables that hold secrets, whether or not a descriptor says so. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL).*");
    /** Shorter values are not secrets worth the name, and would redact ordinary words. */
    private static final int MIN_LENGTH = 8;
    /** A key's start this long, followed by more key characters, counts as the key echoed cut short. */
    private static final int PREFIX = 12;
    /** The window the rolling hash looks at: every secret is at least this long. */
    private static final int WINDOW = MIN_LENGTH;
    private static final long BASE = 1_000_003;
    private static final long TOP = power(BASE, WINDOW - 1);
    private static final int FILTER_BITS = 1 << 16;
    private static final String REDACTED = "[redacted]";

    private static volatile Secrets installed = NONE;

    private final Set<String> secrets;
    private final Map<Long, List<String>> byWindowHash = new HashMap<>();
    private final long[] filter = new long[FILTER_BITS / 64];

    private Secrets(Set<String> secrets) {
        this.secrets = Set.copyOf(secrets);
        for (String secret : this.secrets) {
            long hash = hash(secret, 0);
            byWindowHash.computeIfAbsent(hash, h -> new ArrayList<>()).add(secret);
            int bit = bit(hash);
            filter[bit >>> 6] |= 1L << bit;
        }
    }

    /**
     * These texts as secrets; those shorter than {@value #MIN_LENGTH} characters are left out.
     *
     * @param values the secret values
     * @return the secrets
     */
    public static Secrets of(Collection<String> values) {
        Set<String> kept = new LinkedHashSet<>();
        for (String value : values) {
            String secret = value.strip();
            if (secret.length() >= MIN_LENGTH) {
                kept.add(secret);
            }
        }
        return kept.isEmpty() ? NONE : new Secrets(kept);
    }

    /**
     * The values of variables whose names say they hold a key, token, secret, password or credential (a list of
     * {@code key:tenant} pairs gives its keys), for secrets no descriptor declares.
     *
     * @param variables names and values
     * @return the secret values
     */
    public static List<String> namedInVariables(Map<String, String> variables) {
        List<String> values = new ArrayList<>();
        variables.forEach((name, value) -> {
            String upper = name.toUpperCase(Locale.ROOT);
            if (!SECRET_NAME.matcher(upper).matches()) {
                return;
            }
            for (String part : value.split(",")) {
                String secret = part.strip();
                int colon = secret.indexOf(':');
                if (colon > 0 && upper.endsWith("_KEYS")) {
                    secret = secret.substring(0, colon).strip();
                }
                values.add(secret);
            }
        });
        return values;
    }

    /**
     * Makes these the secrets every error body and log line is scrubbed of, from now on.
     *
     * @param secrets the gateway's secrets
     */
    public static void install(Secrets secrets) {
        installed = secrets;
    }

    /**
     * The secrets in use.
     *
     * @return the secrets
     */
    public static Secrets installed() {
        return installed;
    }

    /**
     * These secrets and more.
     *
     * @param values more secret values
     * @return all of them
     */
    public Secrets and(Collection<String> values) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(values);
        return of(all);
    }

    /**
     * The text with every secret, whole or its start followed by more key characters, replaced.
     *
     * @param text the text
     * @return the text without secrets
     */
    public String scrub(String text) {
        int length = text.length();
        if (secrets.isEmpty() || length < WINDOW) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int start = 0;
        long hash = hash(text, 0);
        while (true) {
            int bit = bit(hash);
            if ((filter[bit >>> 6] & (1L << bit)) != 0) {
                int end = matchEnd(text, start, byWindowHash.getOrDefault(hash, List.of()));
                if (end > start) {
                    if (out == null) {
                        out = new StringBuilder(length);
                    }
                    out.append(text, copied, start).append(REDACTED);
                    copied = end;
                    start = end;
                    if (start + WINDOW > length) {
                        break;
                    }
                    hash = hash(text, start);
                    continue;
                }
            }
            if (start + WINDOW >= length) {
                break;
            }
            hash = (hash - text.charAt(start) * TOP) * BASE + text.charAt(start + WINDOW);
            start++;
        }
        return out == null ? text : out.append(text, copied, length).toString();
    }

    /** Where the secret found at {@code start} ends (with any key characters after it), or {@code start}. */
    private static int matchEnd(String text, int start, List<String> candidates) {
        int end = start;
        for (String secret : candidates) {
            int matched;
            if (text.regionMatches(start, secret, 0, secret.length())) {
                matched = start + secret.length();
            } else if (secret.length() > PREFIX && text.regionMatches(start, secret, 0, PREFIX)) {
                matched = start + PREFIX;
            } else {
                continue;
            }
            while (matched < text.length() && keyCharacter(text.charAt(matched))) {
                matched++;
            }
            end = Math.max(end, matched);
        }
        return end;
    }

    private static boolean keyCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
    }

    private static long hash(String text, int from) {
        long hash = 0;
        for (int i = from; i < from + WINDOW; i++) {
            hash = hash * BASE + text.charAt(i);
        }
        return hash;
    }

    private static int bit(long hash) {
        return (int) (hash ^ (hash >>> 29) ^ (hash >>> 47)) & (FILTER_BITS - 1);
    }

    private static long power(long base, int exponent) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= base;
        }
        return result;
    }
}
