package io.llmgateway.host.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.api.PluginConfig;

/**
 * The secrets the gateway was configured with, and their removal from text a client will see: an upstream
 * that echoes the key it was sent (in full or cut short) must not hand the gateway's key to a caller.
 */
public final class Secrets {

    /** No secrets: text passes unchanged. */
    public static final Secrets NONE = new Secrets(List.of());

    /** Names of variables that hold secrets (the api and cli backends' credentials, the auth keys). */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL).*");
    /** Shorter values are not secrets worth the name, and would redact ordinary words. */
    private static final int MIN_LENGTH = 8;
    /** A key's start this long, followed by more key characters, counts as the key echoed cut short. */
    private static final int PREFIX = 12;
    private static final String REDACTED = "[redacted]";

    private final List<Pattern> patterns;

    private Secrets(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /**
     * The secrets among the values of the named variables: those whose names say they hold a key, token,
     * secret, password or credential; a list of {@code key:tenant} pairs gives its keys.
     *
     * @param source where values come from
     * @param names  the variable names to look at (the process environment's)
     * @return the secrets
     */
    public static Secrets of(PluginConfig source, Collection<String> names) {
        List<Pattern> patterns = new ArrayList<>();
        for (String name : names) {
            if (!SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches()) {
                continue;
            }
            source.value(name).ifPresent(value -> {
                for (String part : value.split(",")) {
                    String secret = part.strip();
                    int colon = secret.indexOf(':');
                    if (colon > 0 && name.toUpperCase(Locale.ROOT).endsWith("_KEYS")) {
                        secret = secret.substring(0, colon).strip();
                    }
                    if (secret.length() >= MIN_LENGTH) {
                        patterns.add(pattern(secret));
                    }
                }
            });
        }
        return new Secrets(List.copyOf(patterns));
    }

    /**
     * The text with every secret, whole or its start followed by more key characters, replaced.
     *
     * @param text the text
     * @return the text without secrets
     */
    public String scrub(String text) {
        String scrubbed = text;
        for (Pattern pattern : patterns) {
            scrubbed = pattern.matcher(scrubbed).replaceAll(Matcher.quoteReplacement(REDACTED));
        }
        return scrubbed;
    }

    private static Pattern pattern(String secret) {
        String start = secret.length() > PREFIX ? secret.substring(0, PREFIX) : secret;
        return Pattern.compile(Pattern.quote(secret) + "|" + Pattern.quote(start) + "[A-Za-z0-9_.\\-]*");
    }
}
