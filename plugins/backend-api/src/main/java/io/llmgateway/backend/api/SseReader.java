package io.llmgateway.backend.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events ({@code event:} and {@code data:} fields, a blank line ending each) from an
 * upstream's response body, one event at a time, as they arrive.
 */
final class SseReader {

    private final BufferedReader lines;
    private int events;

    SseReader(InputStream body) {
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192);
    }

    /**
     * The next event.
     *
     * @return the event, or empty at the end of the stream
     * @throws IOException when the connection fails
     */
    Optional<Event> next() throws IOException {
        String name = "message";
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    events++;
                    return Optional.of(new Event(name, data.toString()));
                }
                name = "message";
                continue;
            }
            if (line.startsWith(":")) {
                continue; // a comment, used as a keep-alive by some upstreams
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(" ", colon + 1) ? 2 : 1));
            switch (field) {
                case "event" -> name = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> {
                    // id, retry: not used by LLM upstreams
                }
            }
        }
        if (data == null) {
            return Optional.empty();
        }
        events++;
        return Optional.of(new Event(name, data.toString()));
    }

    /** {@return how many events {@link #next()} returned so far} */
    int events() {
        return events;
    }

    /**
     * One event.
     *
     * @param name the event name ({@code message} when the stream names none)
     * @param data its data, lines joined by newlines
     */
    record Event(String name, String data) {
    }
}
