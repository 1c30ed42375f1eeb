package io.llmgateway.api;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The tenants' keys file the host reads ({@code LLM_API_KEYS_FILE}): parsed once by the host, in the
 * {@link TenantKeys} format, for every plugin that needs it (auth for the keys, the rate limiter for the
 * {@code rpm=}/{@code tpm=} words), and reread when it changes. A change that does not parse is reported by the
 * host and the keys in use are kept.
 */
public interface TenantKeysFile {

    /**
     * Where the file is, for messages.
     *
     * @return the path
     */
    Path path();

    /**
     * The keys as last read.
     *
     * @return the keys
     */
    TenantKeys current();

    /**
     * Calls a listener after every reread that changed the keys, on the host's scheduler.
     *
     * @param listener gets the new keys; must not block for long
     */
    void onChange(Consumer<TenantKeys> listener);
}
