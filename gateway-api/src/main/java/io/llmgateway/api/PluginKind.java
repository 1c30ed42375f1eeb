package io.llmgateway.api;

import java.util.Locale;

/**
 * What a plugin provides.
 */
public enum PluginKind {
    /** A {@link BackendProvider}: serves chat completions. */
    BACKEND,
    /** A {@link MiddlewareProvider}: wraps every call. */
    MIDDLEWARE;

    /**
     * The kind as logs and tables write it.
     *
     * @return {@code backend} or {@code middleware}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
