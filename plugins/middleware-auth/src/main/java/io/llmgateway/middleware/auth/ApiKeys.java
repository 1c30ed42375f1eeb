package io.llmgateway.middleware.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.llmgateway.api.PluginConfigurationException;

/**
 * API keys and their tenants. Only SHA-256 digests of the keys are kept, in a hash map: a presented key is
 * digested and its digest looked up, so a request costs the same with ten keys as with a hundred thousand.
 * No key is ever compared with a key, so timing cannot reveal a key character by character, which is what
 * a constant-time comparison guards against: the lookup's timing can at most hint at how a stored digest
 * compares with the digest of a key the caller chose, and SHA-256 cannot be worked back to a key.
 */
final class ApiKeys {

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Cloned per use: far cheaper than looking the algorithm up on every request. */
    private static final MessageDigest SHA_256 = sha256();

    /** Tenants by the SHA-256 of their keys (wrapped: a {@link ByteBuffer} compares and hashes by content). */
    private final Map<ByteBuffer, String> tenantByDigest;

    private ApiKeys(Map<ByteBuffer, String> tenantByDigest) {
        this.tenantByDigest = Map.copyOf(tenantByDigest);
    }

    /**
     * Parses {@code key:tenant} pairs separated by commas or new lines; a {@code #} starts a comment; words
     * after the pair (such as the rate limiter's {@code rpm=60}) are not auth's business and are skipped.
     *
     * @param text   the pairs
     * @param source where they come from, for error messages ({@code LLM_API_KEYS} or the file's path)
     * @return the keys
     * @throws PluginConfigurationException naming the line at fault, never the key
     */
    static ApiKeys parse(String text, String source) {
        Map<String, String> tenantByKey = new LinkedHashMap<>();
        String[] lines = text.split("[\\n,]");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].contains("#") ? lines[i].substring(0, lines[i].indexOf('#')) : lines[i];
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String pair = line.split("\\s+")[0];
            int colon = pair.lastIndexOf(':');
            String where = source + " entry " + (i + 1);
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new PluginConfigurationException(where + " must look like key:tenant");
            }
            String tenant = pair.substring(colon + 1);
            if (!TENANT.matcher(tenant).matches()) {
                throw new PluginConfigurationException(where + ": a tenant name is 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (tenantByKey.put(pair.substring(0, colon), tenant) != null) {
                throw new PluginConfigurationException(where + " repeats a key");
            }
        }
        Map<ByteBuffer, String> tenantByDigest = new HashMap<>();
        tenantByKey.forEach((key, tenant) -> tenantByDigest.put(digest(key), tenant));
        return new ApiKeys(tenantByDigest);
    }

    /**
     * Keys from two sources together.
     *
     * @param other more keys; a key both name belongs to the tenant {@code other} gives it
     * @return all keys
     */
    ApiKeys and(ApiKeys other) {
        Map<ByteBuffer, String> all = new HashMap<>(tenantByDigest);
        all.putAll(other.tenantByDigest);
        return new ApiKeys(all);
    }

    /**
     * The tenant of a key.
     *
     * @param presented the key the client sent
     * @return its tenant, or empty for an unknown key
     */
    Optional<String> tenantOf(String presented) {
        return Optional.ofNullable(tenantByDigest.get(digest(presented)));
    }

    int size() {
        return tenantByDigest.size();
    }

    private static ByteBuffer digest(String key) {
        try {
            return ByteBuffer.wrap(((MessageDigest) SHA_256.clone()).digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of this JVM cannot be cloned", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
