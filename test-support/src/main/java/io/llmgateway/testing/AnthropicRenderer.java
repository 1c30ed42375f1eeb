package io.llmgateway.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.Reply.ToolCall;
import io.llmgateway.testing.Reply.Usage;
import io.llmgateway.testing.ReplyPlan.Ending;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Turns a {@link Reply} into the bytes the Anthropic Messages API would send: the JSON message object
 * for a plain request, the server-sent event sequence ({@code message_start}, {@code content_block_*},
 * {@code message_delta}, {@code message_stop}) for {@code "stream": true}, and the error body for
 * failures. The message id is {@code msg_} and {@link ReplyPlan#ID_PLACEHOLDER}, replaced per request.
 */
final class AnthropicRenderer {
    static final String MESSAGE_ID = "msg_" + ReplyPlan.ID_PLACEHOLDER;
    /** How many {@code input_json_delta} fragments a tool call's input is split into, at most (after an empty one). */
    private static final int INPUT_FRAGMENTS = 3;
    /** Usage reported by replies that break off, which carry none of their own. */
    private static final Usage BROKEN_OFF_USAGE = Usage.of(Reply.DEFAULT_INPUT_TOKENS, 1);

    private AnthropicRenderer() {
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
            case Reply.HttpError error -> error(error.status(), error.type(), error.message(), error.headers());
            case Reply.StreamError error -> stream
                    ? new EventStream().messageStart(model, BROKEN_OFF_USAGE)
                            .openTextBlock(0, error.deltas())
                            .add(AnthropicEvents.error(error.type(), error.message()), false)
                            .plan(Duration.ZERO, Ending.COMPLETE)
                    : error(AnthropicEvents.errorStatus(error.type()), error.type(), error.message(), Map.of());
            case Reply.Cut cut -> stream
                    ? new EventStream().messageStart(model, BROKEN_OFF_USAGE)
                            .openTextBlock(0, cut.deltas())
                            .plan(Duration.ZERO, Ending.DROP_CONNECTION)
                    : message(model, List.of(AnthropicEvents.textBlock(String.join("", cut.deltas()))),
                            "end_turn", null, BROKEN_OFF_USAGE).firstHalf();
            case Reply.Hang ignored -> ReplyPlan.hang();
            case Reply.Drop ignored -> ReplyPlan.drop();
            case Reply.Malformed malformed -> ReplyPlan.raw(malformed.body() != null ? malformed.body()
                    : stream ? "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\n\ndata: not json\n\n"
                    : "{\"id\":\"msg_broken\",\"type\":\"message\",\"content\":[", stream);
        };
    }

    /** {@return an error answer: the status, the Anthropic error body and the headers} */
    static ReplyPlan error(int status, String type, String message, Map<String, String> headers) {
        return ReplyPlan.json(status, AnthropicEvents.error(type, message), headers);
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
        return ReplyPlan.json(200, AnthropicEvents.message(MESSAGE_ID, model, blocks.build(), stopReason, stopSequence,
                usage), Map.of());
    }

    /** Builds the Anthropic event sequence: each event named by its {@code type}. */
    private static final class EventStream {
        private final ServerSentEvents events = new ServerSentEvents();

        EventStream messageStart(String model, Usage usage) {
            return add(AnthropicEvents.messageStart(MESSAGE_ID, model, usage), false);
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
            for (String fragment : Jsons.fragments(call.input().toString(), INPUT_FRAGMENTS)) {
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
            events.event(event.getString("type"), event.toString(), pauseBefore);
            return this;
        }

        ReplyPlan plan(Duration gap, Ending ending) {
            return events.plan(gap, ending);
        }

        private EventStream textDeltas(int index, List<String> deltas) {
            for (int i = 0; i < deltas.size(); i++) {
                add(AnthropicEvents.textDelta(index, deltas.get(i)), i > 0);
            }
            return this;
        }
    }
}
