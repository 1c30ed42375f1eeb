package io.llmgateway.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * API keys and the tenants they belong to, with the words that follow each pair ({@code rpm=60}), parsed from
 * one format by one parser, wherever they are configured ({@code LLM_API_KEYS}, the keys file):
 *
 * <pre>
 * # a comment, to the end of the line
 * sk-alice-1:alice rpm=60 tpm=100000
 * sk-bob-1:bob, sk-bob-2:bob
 * </pre>
 *
 * Entries are separated by commas or lines; an entry is {@code key:tenant} (split at the last colon) followed by
 * {@code name=value} attributes, which the plugins that need them read (the rate limiter's {@code rpm} and
 * {@code tpm}). A tenant name is 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}.
 *
 * @param entries the entries, in order
 */
public record TenantKeys(List<Entry> entries) {

    /** No keys. */
    public static final TenantKeys NONE = new TenantKeys(List.of());

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9._-]+=\\S*");

    /**
     * Validates and copies.
     */
    public TenantKeys {
        entries = List.copyOf(requireNonNull(entries, "entries is null"));
        Set<String> keys = new HashSet<>();
        for (Entry entry : entries) {
            if (!keys.add(entry.key())) {
                throw new IllegalArgumentException("a key is listed twice (tenant " + entry.tenant() + ")");
            }
        }
    }

    /**
     * Parses the format above.
     *
     * @param text the entries
     * @return the keys
     * @throws IllegalArgumentException naming the entry at fault by number, never the key, in words that continue
     *                                  the name of where the text came from ({@code entry 2 repeats a key})
     */
    public static TenantKeys parse(String text) {
        List<Entry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            for (String part : content.split(",", -1)) {
                String entry = part.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                number++;
                String[] words = entry.split("\\s+");
                String pair = words[0];
                int colon = pair.lastIndexOf(':');
                if (colon <= 0 || colon == pair.length() - 1) {
                    throw new IllegalArgumentException("entry " + number + " must look like key:tenant");
                }
                String tenant = pair.substring(colon + 1);
                if (!TENANT.matcher(tenant).matches()) {
                    throw new IllegalArgumentException("entry " + number
                                                               + ": a tenant name is 1 to 64 letters, digits, '.', '_' or '-'");
                }
                String key = pair.substring(0, colon);
                if (!keys.add(key)) {
                    throw new IllegalArgumentException("entry " + number + " repeats a key");
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                for (int w = 1; w < words.length; w++) {
                    if (!ATTRIBUTE.matcher(words[w]).matches()) {
                        throw new IllegalArgumentException("entry " + number + ": '" + words[w]
                                                                   + "' after key:tenant must look like name=value");
                    }
                    int equals = words[w].indexOf('=');
                    attributes.put(words[w].substring(0, equals), words[w].substring(equals + 1));
                }
                entries.add(new Entry(key, tenant, attributes));
            }
        }
        return new TenantKeys(entries);
    }

    /**
     * How many keys there are.
     *
     * @return the count
     */
    public int size() {
        return entries.size();
    }

    /**
     * Every key, for masking.
     *
     * @return the keys
     */
    public List<String> keys() {
        return entries.stream().map(Entry::key).toList();
    }

    /**
     * These keys and another's; a key both list belongs to the other's tenant.
     *
     * @param other more keys
     * @return all keys
     */
    public TenantKeys and(TenantKeys other) {
        Map<String, Entry> byKey = new LinkedHashMap<>();
        entries.forEach(entry -> byKey.put(entry.key(), entry));
        other.entries.forEach(entry -> byKey.put(entry.key(), entry));
        return new TenantKeys(List.copyOf(byKey.values()));
    }

    @Override
    public String toString() {
        return "TenantKeys[" + entries.size() + " keys]";
    }

    /**
     * One key.
     *
     * @param key        the API key
     * @param tenant     its tenant
     * @param attributes the {@code name=value} words after it
     */
    public record Entry(String key, String tenant, Map<String, String> attributes) {

        /**
         * Validates and copies.
         */
        public Entry {
            requireNonNull(key, "key is null");
            requireNonNull(tenant, "tenant is null");
            attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(attributes,
                                                                                               "attributes is null")));
        }

        /** Never shows the key. */
        @Override
        public String toString() {
            return "Entry[tenant=" + tenant + ", attributes=" + attributes + "]";
        }
    }
}
