package io.llmgateway.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.Reply.ToolCall;
import io.llmgateway.testing.Reply.Usage;
import io.llmgateway.testing.ReplyPlan.Ending;
import io.llmgateway.testing.ReplyPlan.Part;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Turns a {@link Reply} into the bytes the Anthropic Messages API would send: the JSON message object
 * for a plain request, the server-sent event sequence ({@code message_start}, {@code content_block_*},
 * {@code message_delta}, {@code message_stop}) for {@code "stream": true}, and the error body for
 * failures. The message id is {@link ReplyPlan#ID_PLACEHOLDER}, replaced per request.
 */
final class ReplyRenderer {
    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
    /** How many {@code input_json_delta} fragments a tool call's input is split into, at most (after an empty one). */
    private static final int INPUT_FRAGMENTS = 3;
    /** Usage reported by replies that break off, which carry none of their own. */
    private static final Usage BROKEN_OFF_USAGE = Usage.of(Reply.DEFAULT_INPUT_TOKENS, 1);

    private ReplyRenderer() {
    }

    /** {@return the reply rendered for a request of this model, streamed or not} */
    static ReplyPlan render(Reply reply, String model, boolean stream) {
        return switch (reply) {
            case Reply.Text text -> stream
                    ? new EventStream().messageStart(model, text.usage())
                            .textBlock(0, text.deltas(), text.pings())
                            .messageEnd(text.stopReason(), text.stopSequence(), text.usage())
                            .plan(text.gap(), Ending.COMPLETE)
                    : message(model, List.of(AnthropicEvents.textBlock(text.text())), text.stopReason(),
                            text.stopSequence(), text.usage());
            case Reply.ToolUse toolUse -> stream ? toolUseStream(toolUse, model) : toolUseMessage(toolUse, model);
            case Reply.HttpError error -> json(error.status(), AnthropicEvents.error(error.type(), error.message()),
                    error.headers());
            case Reply.StreamError error -> stream
                    ? new EventStream().messageStart(model, BROKEN_OFF_USAGE)
                            .openTextBlock(0, error.deltas())
                            .add(AnthropicEvents.error(error.type(), error.message()), false)
                            .plan(Duration.ZERO, Ending.COMPLETE)
                    : json(AnthropicEvents.errorStatus(error.type()), AnthropicEvents.error(error.type(), error.message()),
                            Map.of());
            case Reply.Cut cut -> stream
                    ? new EventStream().messageStart(model, BROKEN_OFF_USAGE)
                            .openTextBlock(0, cut.deltas())
                            .plan(Duration.ZERO, Ending.DROP_CONNECTION)
                    : firstHalf(message(model, List.of(AnthropicEvents.textBlock(String.join("", cut.deltas()))),
                            "end_turn", null, BROKEN_OFF_USAGE));
            case Reply.Hang ignored -> new ReplyPlan(200, Map.of(), false, List.of(), Duration.ZERO, Ending.HANG);
            case Reply.Malformed malformed -> malformed(malformed.body(), stream);
        };
    }

    /** {@return a plan that sends this JSON body with a content-length} */
    static ReplyPlan json(int status, JsonObject body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", JSON);
        return new ReplyPlan(status, all, false, List.of(part(body.toString(), false)), Duration.ZERO, Ending.COMPLETE);
    }

    private static ReplyPlan toolUseStream(Reply.ToolUse toolUse, String model) {
        EventStream events = new EventStream().messageStart(model, toolUse.usage());
        int index = 0;
        if (!toolUse.text().isEmpty()) {
            events.textBlock(index++, List.of(toolUse.text()), false);
        }
        for (ToolCall call : toolUse.calls()) {
            events.toolUseBlock(index++, call);
        }
        return events.messageEnd("tool_use", null, toolUse.usage()).plan(Duration.ZERO, Ending.COMPLETE);
    }

    private static ReplyPlan toolUseMessage(Reply.ToolUse toolUse, String model) {
        List<JsonObject> blocks = new ArrayList<>();
        if (!toolUse.text().isEmpty()) {
            blocks.add(AnthropicEvents.textBlock(toolUse.text()));
        }
        toolUse.calls().forEach(call -> blocks.add(AnthropicEvents.toolUseBlock(call, call.input())));
        return message(model, blocks, "tool_use", null, toolUse.usage());
    }

    /** The non-streamed answer: the whole message object. */
    private static ReplyPlan message(String model, List<JsonObject> content, String stopReason, String stopSequence,
                                     Usage usage) {
        JsonArrayBuilder blocks = Jsons.array();
        content.forEach(blocks::add);
        JsonObject message = AnthropicEvents.message(ReplyPlan.ID_PLACEHOLDER, model, blocks.build(), stopReason,
                stopSequence, usage);
        return new ReplyPlan(200, Map.of("content-type", JSON), false, List.of(part(message.toString(), false)),
                Duration.ZERO, Ending.COMPLETE);
    }

    private static ReplyPlan firstHalf(ReplyPlan whole) {
        byte[] bytes = whole.parts().getFirst().bytes();
        Part half = new Part(Arrays.copyOf(bytes, bytes.length / 2), -1, false);
        return new ReplyPlan(200, whole.headers(), true, List.of(half), Duration.ZERO, Ending.DROP_CONNECTION);
    }

    private static ReplyPlan malformed(String body, boolean stream) {
        String text = body != null ? body
                : stream ? "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\n\ndata: not json\n\n"
                : "{\"id\":\"msg_broken\",\"type\":\"message\",\"content\":[";
        return new ReplyPlan(200, Map.of("content-type", stream ? EVENT_STREAM : JSON), stream,
                List.of(part(text, false)), Duration.ZERO, Ending.COMPLETE);
    }

    /** {@return the text as a part, noting where the id placeholder is (its first occurrence)} */
    private static Part part(String text, boolean pauseBefore) {
        int id = text.indexOf(ReplyPlan.ID_PLACEHOLDER);
        int offset = id < 0 ? -1 : text.substring(0, id).getBytes(StandardCharsets.UTF_8).length;
        return new Part(text.getBytes(StandardCharsets.UTF_8), offset, pauseBefore);
    }

    /** Builds a server-sent event sequence, one part per event. */
    private static final class EventStream {
        private final List<Part> parts = new ArrayList<>();

        EventStream messageStart(String model, Usage usage) {
            return add(AnthropicEvents.messageStart(ReplyPlan.ID_PLACEHOLDER, model, usage), false);
        }

        /** A whole text block: start, an optional ping, one delta per piece with a pause between two, stop. */
        EventStream textBlock(int index, List<String> deltas, boolean ping) {
            add(AnthropicEvents.contentBlockStart(index, AnthropicEvents.textBlock("")), false);
            if (ping) {
                add(AnthropicEvents.ping(), false);
            }
            textDeltas(index, deltas);
            return add(AnthropicEvents.contentBlockStop(index), false);
        }

        /** A text block that never stops: for streams that break off. */
        EventStream openTextBlock(int index, List<String> deltas) {
            add(AnthropicEvents.contentBlockStart(index, AnthropicEvents.textBlock("")), false);
            return textDeltas(index, deltas);
        }

        EventStream toolUseBlock(int index, ToolCall call) {
            add(AnthropicEvents.contentBlockStart(index, AnthropicEvents.toolUseBlock(call, JsonValue.EMPTY_JSON_OBJECT)), false);
            for (String fragment : fragments(call.input().toString())) {
                add(AnthropicEvents.inputJsonDelta(index, fragment), false);
            }
            return add(AnthropicEvents.contentBlockStop(index), false);
        }

        EventStream messageEnd(String stopReason, String stopSequence, Usage usage) {
            add(AnthropicEvents.messageDelta(stopReason, stopSequence, usage.outputTokens()), false);
            return add(AnthropicEvents.messageStop(), false);
        }

        /** Adds one event; its name is its {@code type}. */
        EventStream add(JsonObject event, boolean pauseBefore) {
            parts.add(part("event: " + event.getString("type") + "\ndata: " + event + "\n\n", pauseBefore));
            return this;
        }

        ReplyPlan plan(Duration gap, Ending ending) {
            return new ReplyPlan(200, Map.of("content-type", EVENT_STREAM, "cache-control", "no-cache"), true, parts,
                    gap, ending);
        }

        private EventStream textDeltas(int index, List<String> deltas) {
            for (int i = 0; i < deltas.size(); i++) {
                add(AnthropicEvents.textDelta(index, deltas.get(i)), i > 0);
            }
            return this;
        }

        /** An empty first fragment, as the real API sends, then the JSON in a few pieces. */
        private static List<String> fragments(String json) {
            List<String> fragments = new ArrayList<>(List.of(""));
            int size = Math.max(1, (json.length() + INPUT_FRAGMENTS - 1) / INPUT_FRAGMENTS);
            int start = 0;
            while (start < json.length()) {
                int end = Math.min(json.length(), start + size);
                if (end < json.length() && Character.isLowSurrogate(json.charAt(end))) {
                    end++;
                }
                fragments.add(json.substring(start, end));
                start = end;
            }
            return fragments;
        }
    }
}
