package io.llmgateway.middleware.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.TenantKeys;

/**
 * API keys and their tenants. Only SHA-256 digests of the keys are kept, in a hash map: a presented key is
 * digested and its digest looked up, so a request costs the same with ten keys as with a hundred thousand.
 * No key is ever compared with a key, so timing cannot reveal a key character by character, which is what
 * a constant-time comparison guards against: the lookup's timing can at most hint at how a stored digest
 * compares with the digest of a key the caller chose, and SHA-256 cannot be worked back to a key.
 */
final class ApiKeys {

    /** Cloned per use: far cheaper than looking the algorithm up on every request. */
    private static final MessageDigest SHA_256 = sha256();

    /** Tenants by the SHA-256 of their keys (wrapped: a {@link ByteBuffer} compares and hashes by content). */
    private final Map<ByteBuffer, String> tenantByDigest;

    private ApiKeys(Map<ByteBuffer, String> tenantByDigest) {
        this.tenantByDigest = Map.copyOf(tenantByDigest);
    }

    /**
     * The keys of a {@link TenantKeys} list, digested.
     *
     * @param keys the keys and their tenants
     * @return the keys
     */
    static ApiKeys of(TenantKeys keys) {
        Map<ByteBuffer, String> tenantByDigest = new HashMap<>();
        for (TenantKeys.Entry entry : keys.entries()) {
            tenantByDigest.put(digest(entry.key()), entry.tenant());
        }
        return new ApiKeys(tenantByDigest);
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
