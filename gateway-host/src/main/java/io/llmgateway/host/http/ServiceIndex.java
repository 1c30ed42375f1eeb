package io.llmgateway.host.http;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Handler;

/**
 * {@code GET /} (and {@code HEAD /}, which clients such as Claude Code send to see whether a base URL
 * answers): what this service is and where its API is.
 */
public final class ServiceIndex {

    private static final byte[] BODY = ("{\"service\":\"llm-gateway\",\"api\":\"/v1\",\"endpoints\":[\"/v1/chat/completions\","
            + "\"/v1/models\",\"/health\",\"/sessions\",\"/metrics\"]}").getBytes(StandardCharsets.UTF_8);

    private ServiceIndex() {
    }

    /**
     * The handler.
     *
     * @return it
     */
    public static Handler handler() {
        return (request, response) -> response.header(HeaderValues.CONTENT_TYPE_JSON).send(BODY);
    }
}
