package io.llmgateway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.json.JsonObject;

/**
 * A gateway's {@code /sessions}, as the tests read it.
 */
final class Sessions {

    private Sessions() {
    }

    static List<JsonObject> of(GatewayProcess gateway) {
        try {
            return gateway.getJson("/sessions").getJsonArray("sessions").getValuesAs(JsonObject.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many warm sessions are idle. */
    static long idleWarm(GatewayProcess gateway) {
        return of(gateway).stream()
                .filter(s -> s.getString("state").equals("idle") && s.getString("origin").equals("warm"))
                .count();
    }
}
