package io.llmgateway.host.config;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@code LLM_*} variable must be read by the host or by a loaded plugin's descriptor; any other is a typo or a
 * plugin that is not shipped, and the gateway stops, naming the closest variable that is read (as Elasticsearch's
 * {@code unknown setting [x] did you mean [y]?}). Nothing here knows a plugin by name. Variables outside
 * {@code LLM_*} belong to everyone (PATH, HOME, ...) and are never refused.
 */
public final class UnclaimedSettings {

    private static final String PREFIX = "LLM_";
    /** Farther than this and a suggestion is more confusing than none. */
    private static final int MAX_DISTANCE = 2;
    /** A name missing this much of its end ({@code _MS}, {@code _FILE}) still gets a suggestion. */
    private static final int MAX_MISSING_END = 5;

    private UnclaimedSettings() {
    }

    /**
     * The first {@code LLM_*} variable nobody reads, as a one-line message.
     *
     * @param environment the variables set
     * @param claimed     the variables the host and the loaded plugins read
     * @param failures    plugins that failed to load (they may be the ones that read it)
     * @param pluginsDir  where plugins are loaded from
     * @return the message, empty when every variable is read
     */
    public static Optional<String> problem(Environment environment, Set<String> claimed, Collection<String> failures,
                                           Path pluginsDir) {
        List<String> unclaimed = environment.names().stream()
                .filter(name -> name.startsWith(PREFIX) && !claimed.contains(name))
                .toList();
        if (unclaimed.isEmpty()) {
            return Optional.empty();
        }
        String name = unclaimed.getFirst();
        StringBuilder message = new StringBuilder(name).append(" is set, but neither the host nor a loaded plugin reads it");
        closest(name, claimed).ifPresent(match -> message.append(" (did you mean ").append(match).append("?)"));
        message.append("; unset it, or add the plugin that reads it to ").append(pluginsDir)
                .append(" (bin/llm-gateway --help-config lists what the loaded plugins read)");
        if (unclaimed.size() > 1) {
            message.append("; also unread: ").append(String.join(", ", unclaimed.subList(1, unclaimed.size())));
        }
        if (!failures.isEmpty()) {
            message.append("; plugins that failed to load: ").append(String.join("; ", failures));
        }
        return Optional.of(message.toString());
    }

    /** The claimed name nearest in edit distance, if it is near enough (or it only lacks a short end). */
    static Optional<String> closest(String name, Collection<String> claimed) {
        return claimed.stream()
                .filter(candidate -> distance(name, candidate) <= MAX_DISTANCE
                        || candidate.startsWith(name) && candidate.length() - name.length() <= MAX_MISSING_END)
                .min(Comparator.<String>comparingInt(candidate -> distance(name, candidate))
                             .thenComparing(Comparator.naturalOrder()));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
