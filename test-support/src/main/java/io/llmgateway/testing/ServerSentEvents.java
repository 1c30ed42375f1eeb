package io.llmgateway.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.ReplyPlan.Ending;
import io.llmgateway.testing.ReplyPlan.Part;

/**
 * Builds a {@code text/event-stream} body as a {@link ReplyPlan}, one part per event, so that each event is
 * flushed on its own. Shared by the fakes: the Anthropic API names its events ({@code event:} and
 * {@code data:} lines), OpenAI's sends only {@code data:} lines.
 */
final class ServerSentEvents {
    private final List<Part> parts = new ArrayList<>();

    /** Adds {@code event: NAME} and {@code data: DATA}; with {@code pauseBefore} the plan's gap comes first. */
    ServerSentEvents event(String name, String data, boolean pauseBefore) {
        parts.add(Part.of("event: " + name + "\ndata: " + data + "\n\n", pauseBefore));
        return this;
    }

    /** Adds an unnamed event of one {@code data: DATA} line; with {@code pauseBefore} the plan's gap comes first. */
    ServerSentEvents data(String data, boolean pauseBefore) {
        parts.add(Part.of("data: " + data + "\n\n", pauseBefore));
        return this;
    }

    /** {@return a 200 that streams the events, pausing for {@code gap} where asked, and ends as told} */
    ReplyPlan plan(Duration gap, Ending ending) {
        return new ReplyPlan(200, Map.of("content-type", ReplyPlan.EVENT_STREAM, "cache-control", "no-cache"), true,
                parts, gap, ending);
    }
}
