package io.llmgateway.backend.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.GatewayException;

/**
 * Answer schemas the CLI refused when a session started with one ({@code --json-schema} that is not valid JSON
 * Schema: the process exits at once), remembered so that a request bringing one again gets its 400 at once
 * rather than another spawn. Such a failure is the request's, not the pool's: it does not count towards the
 * spawn backoff. Bounded, the least recently seen forgotten first. Not thread-safe: guarded by the pool's lock.
 */
final class RejectedSchemas {

    static final int CAPACITY = 256;
    static final String PARAM = "response_format.json_schema.schema";
    private static final String FLAG = "--json-schema";
    private static final int MAX_DETAIL = 300;

    private final Map<String, String> rejected = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * Notes a failed start that was the CLI refusing the session's schema.
     *
     * @param key the session's key
     * @param why why the start failed (with the end of the process's stderr)
     * @return the error for the requests that brought the schema, when it was the schema
     */
    Optional<GatewayException> noteIfRefused(SessionKey key, String why) {
        int at = why.indexOf(FLAG);
        if (key.jsonSchema().isEmpty() || at < 0) {
            return Optional.empty();
        }
        String detail = why.substring(at);
        int end = detail.indexOf(" | ");
        detail = end < 0 ? detail : detail.substring(0, end);
        detail = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail;
        rejected.put(key.jsonSchema().get(), detail);
        return Optional.of(error(detail));
    }

    /**
     * Refuses a key whose schema the CLI refused before.
     *
     * @param key the request's key
     * @throws GatewayException 400 naming the schema
     */
    void check(SessionKey key) {
        if (key.jsonSchema().isPresent()) {
            String detail = rejected.get(key.jsonSchema().get());
            if (detail != null) {
                throw error(detail);
            }
        }
    }

    /** The client's error for a refused schema. */
    static GatewayException error(String detail) {
        return GatewayException.invalidRequest("The claude CLI refused the schema: " + detail, PARAM);
    }
}
