package io.llmgateway.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.llmgateway.testing.Reply.ToolCall;
import io.llmgateway.testing.Reply.Usage;
import io.llmgateway.testing.ReplyPlan.Ending;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Turns a {@link Reply} into the bytes OpenAI's chat completions API would send: a {@code chat.completion}
 * for a plain request; for {@code "stream": true} the {@code chat.completion.chunk} events (the role, the
 * content deltas, the tool-call fragments, the finish reason, the usage if asked for) ending in
 * {@code data: [DONE]}; and the error body for failures. The completion id is {@code chatcmpl-} and
 * {@link ReplyPlan#ID_PLACEHOLDER}, replaced per request; {@code created} is when the reply was rendered.
 */
final class OpenAiRenderer {
    static final String COMPLETION_ID = "chatcmpl-" + ReplyPlan.ID_PLACEHOLDER;
    /** How many fragments a tool call's arguments are streamed in, at most (after an empty one). */
    private static final int ARGUMENT_FRAGMENTS = 3;
    /** Usage reported by replies that break off, which carry none of their own. */
    private static final Usage BROKEN_OFF_USAGE = Usage.of(Reply.DEFAULT_INPUT_TOKENS, 1);

    private OpenAiRenderer() {
    }

    /**
     * What of a request decides the bytes of its reply.
     *
     * @param model        the request's model, repeated in the answer
     * @param stream       whether it asked for a stream
     * @param logprobs     whether it asked for {@code logprobs}
     * @param includeUsage whether it asked a stream for a usage chunk ({@code stream_options.include_usage})
     */
    record Variant(String model, boolean stream, boolean logprobs, boolean includeUsage) {
    }

    /** {@return the reply rendered for requests of this variant} */
    static ReplyPlan render(Reply reply, Variant variant) {
        Completion completion = new Completion(variant, Instant.now().getEpochSecond());
        return switch (reply) {
            case Reply.Text text -> variant.stream()
                    ? new Chunks(completion).start().content(text.deltas())
                            .finish(finishReason(text.stopReason()), text.usage())
                            .plan(text.gap(), Ending.COMPLETE)
                    : completion.whole(text.text(), List.of(), text.deltas(), finishReason(text.stopReason()), text.usage());
            case Reply.ToolUse toolUse -> {
                List<String> text = toolUse.text().isEmpty() ? List.of() : List.of(toolUse.text());
                yield variant.stream()
                        ? new Chunks(completion).start().content(text).toolCalls(toolUse.calls())
                                .finish("tool_calls", toolUse.usage())
                                .plan(Duration.ZERO, Ending.COMPLETE)
                        : completion.whole(text.isEmpty() ? null : toolUse.text(), toolUse.calls(), text, "tool_calls",
                                toolUse.usage());
            }
            case Reply.HttpError error -> ReplyPlan.json(error.status(),
                    OpenAiBodies.translatedError(error.type(), error.message(), error.param(), error.code()), error.headers());
            case Reply.StreamError error -> variant.stream()
                    ? new Chunks(completion).start().content(error.deltas())
                            .error(OpenAiBodies.translatedError(error.type(), error.message(), null, null))
                            .plan(Duration.ZERO, Ending.COMPLETE)
                    : ReplyPlan.json(AnthropicEvents.errorStatus(error.type()),
                            OpenAiBodies.translatedError(error.type(), error.message(), null, null), Map.of());
            case Reply.Cut cut -> variant.stream()
                    ? new Chunks(completion).start().content(cut.deltas()).plan(Duration.ZERO, Ending.DROP_CONNECTION)
                    : completion.whole(String.join("", cut.deltas()), List.of(), cut.deltas(), "stop", BROKEN_OFF_USAGE)
                            .firstHalf();
            case Reply.Hang ignored -> ReplyPlan.hang();
            case Reply.Drop ignored -> ReplyPlan.drop();
            case Reply.Malformed malformed -> ReplyPlan.raw(malformed.body() != null ? malformed.body()
                    : variant.stream() ? "data: {\"id\":\"chatcmpl-broken\",\"object\":\n\ndata: not json\n\n"
                    : "{\"id\":\"chatcmpl-broken\",\"object\":\"chat.completion\",\"choices\":[", variant.stream());
        };
    }

    /** {@return OpenAI's {@code finish_reason} for a text reply's Anthropic stop reason} */
    static String finishReason(String stopReason) {
        return "max_tokens".equals(stopReason) ? "length" : "stop";
    }

    /** What every body of one completion shares: the request's variant and the creation time. */
    private record Completion(Variant variant, long created) {
        /** The non-streamed answer; {@code tokens} are the pieces {@code logprobs} reports, if asked for. */
        ReplyPlan whole(String content, List<ToolCall> calls, List<String> tokens, String finishReason, Usage usage) {
            JsonValue logprobs = variant.logprobs() ? OpenAiBodies.logprobs(tokens) : JsonValue.NULL;
            return ReplyPlan.json(200, OpenAiBodies.completion(COMPLETION_ID, created, variant.model(),
                    OpenAiBodies.message(content, calls), logprobs, finishReason, usage), Map.of());
        }

        /** A chunk; {@code usage} is null for the chunks before the usage chunk. */
        JsonObject chunk(JsonArrayBuilder choices, JsonObject usage) {
            JsonValue usageField = usage != null ? usage : variant.includeUsage() ? JsonValue.NULL : null;
            return OpenAiBodies.chunk(COMPLETION_ID, created, variant.model(), choices, usageField);
        }
    }

    /** Builds the chunk sequence of one streamed completion. */
    private static final class Chunks {
        private final ServerSentEvents events = new ServerSentEvents();
        private final Completion completion;

        Chunks(Completion completion) {
            this.completion = completion;
        }

        /** The first chunk: the role and empty content. */
        Chunks start() {
            return choice(Jsons.object().add("role", "assistant").add("content", ""), JsonValue.NULL, null, false);
        }

        /** One chunk per delta, the plan's gap between two. */
        Chunks content(List<String> deltas) {
            for (int i = 0; i < deltas.size(); i++) {
                String delta = deltas.get(i);
                JsonValue logprobs = completion.variant().logprobs() ? OpenAiBodies.logprobs(List.of(delta)) : JsonValue.NULL;
                choice(Jsons.object().add("content", delta), logprobs, null, i > 0);
            }
            return this;
        }

        /**
         * Per call: a chunk with its index, id, type, name and empty arguments, then one chunk per fragment of
         * its arguments.
         */
        Chunks toolCalls(List<ToolCall> calls) {
            for (int index = 0; index < calls.size(); index++) {
                ToolCall call = calls.get(index);
                toolCallDelta(OpenAiBodies.toolCallStart(index, call.id(), call.name()));
                List<String> fragments = Jsons.fragments(call.input().toString(), ARGUMENT_FRAGMENTS);
                for (String fragment : fragments.subList(1, fragments.size())) { // the first, empty one was in the start
                    toolCallDelta(OpenAiBodies.toolCallArguments(index, fragment));
                }
            }
            return this;
        }

        /** The chunk with the finish reason and an empty delta, the usage chunk if asked for, then {@code [DONE]}. */
        Chunks finish(String finishReason, Usage usage) {
            choice(Jsons.object(), JsonValue.NULL, finishReason, false);
            if (completion.variant().includeUsage()) {
                events.data(completion.chunk(Jsons.array(), OpenAiBodies.usage(usage)).toString(), false);
            }
            events.data("[DONE]", false);
            return this;
        }

        /** An error event: what OpenAI sends when a stream fails after it started. */
        Chunks error(JsonObject error) {
            events.data(error.toString(), false);
            return this;
        }

        ReplyPlan plan(Duration gap, Ending ending) {
            return events.plan(gap, ending);
        }

        private void toolCallDelta(JsonObject toolCall) {
            choice(Jsons.object().add("tool_calls", Jsons.array().add(toolCall)), JsonValue.NULL, null, false);
        }

        private Chunks choice(JsonObjectBuilder delta, JsonValue logprobs, String finishReason, boolean pauseBefore) {
            JsonObject chunk = completion.chunk(Jsons.array().add(OpenAiBodies.chunkChoice(delta, logprobs, finishReason)), null);
            events.data(chunk.toString(), pauseBefore);
            return this;
        }
    }
}
