package io.llmgateway.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A whole answer: what a non-streaming client receives, assembled from the deltas of a call.
 *
 * @param text         the answer text
 * @param toolCalls    the tool calls, in order
 * @param finishReason why it ended
 * @param usage        token counts, if the backend reported them
 */
public record ChatCompletion(String text, List<ToolCall> toolCalls, FinishReason finishReason,
                             Optional<TokenUsage> usage) {

    /**
     * Validates and copies.
     */
    public ChatCompletion {
        requireNonNull(text, "text is null");
        toolCalls = List.copyOf(requireNonNull(toolCalls, "toolCalls is null"));
        requireNonNull(finishReason, "finishReason is null");
        requireNonNull(usage, "usage is null");
    }

    /**
     * Assembles the deltas of a call. Without a {@link ChatDelta.Finish} the answer counts as stopped
     * (or as {@link FinishReason#TOOL_CALLS} when it holds tool calls). {@link ChatDelta.Passthrough}
     * objects are not taken apart: their text is not part of the result.
     *
     * @param deltas the deltas in the order they were emitted
     * @return the whole answer
     */
    public static ChatCompletion of(Iterable<ChatDelta> deltas) {
        StringBuilder text = new StringBuilder();
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<StringBuilder> arguments = new ArrayList<>();
        FinishReason finish = null;
        TokenUsage usage = null;
        for (ChatDelta delta : deltas) {
            switch (delta) {
                case ChatDelta.Text(String more) -> text.append(more);
                case ChatDelta.ToolCallFragment fragment -> {
                    while (ids.size() <= fragment.index()) {
                        ids.add("");
                        names.add("");
                        arguments.add(new StringBuilder());
                    }
                    int i = fragment.index();
                    fragment.id().ifPresent(id -> ids.set(i, id));
                    fragment.name().ifPresent(name -> names.set(i, name));
                    arguments.get(i).append(fragment.arguments());
                }
                case ChatDelta.Finish(FinishReason reason) -> finish = reason;
                case ChatDelta.Usage(TokenUsage counted) -> usage = counted;
                case ChatDelta.Passthrough passthrough -> {
                    // an upstream's own object: its text is not assembled here
                }
            }
        }
        List<ToolCall> calls = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            calls.add(new ToolCall(ids.get(i), names.get(i), arguments.get(i).toString()));
        }
        if (finish == null) {
            finish = calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
        }
        return new ChatCompletion(text.toString(), calls, finish, Optional.ofNullable(usage));
    }
}
