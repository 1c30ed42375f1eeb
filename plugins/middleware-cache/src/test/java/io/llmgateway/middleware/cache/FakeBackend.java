package io.llmgateway.middleware.cache;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.Middleware;
import io.llmgateway.api.TokenUsage;

/**
 * The end of the chain: emits scripted deltas (by default an answer naming the call number, so a
 * replay is told apart from a new call) and counts its calls.
 */
final class FakeBackend {

    private final AtomicInteger calls = new AtomicInteger();
    private volatile Function<ChatExchange, List<ChatDelta>> script =
            exchange -> answer("answer " + calls.get() + " to " + exchange.request().messages().getLast().text());
    private volatile RuntimeException failure;

    static List<ChatDelta> answer(String text) {
        return List.of(new ChatDelta.Text(text.substring(0, text.length() / 2)),
                       new ChatDelta.Text(text.substring(text.length() / 2)),
                       new ChatDelta.Finish(FinishReason.STOP),
                       new ChatDelta.Usage(TokenUsage.of(7, 3)));
    }

    /** Every call from now on emits these deltas. */
    FakeBackend script(Function<ChatExchange, List<ChatDelta>> deltas) {
        this.script = deltas;
        return this;
    }

    /** Every call from now on emits its deltas and then throws this. */
    FakeBackend failWith(RuntimeException error) {
        this.failure = error;
        return this;
    }

    int calls() {
        return calls.get();
    }

    Middleware.Chain chain(ChatExchange exchange) {
        return sink -> chat(exchange, sink);
    }

    private void chat(ChatExchange exchange, ChatSink sink) {
        calls.incrementAndGet();
        for (ChatDelta delta : script.apply(exchange)) {
            sink.emit(delta);
        }
        RuntimeException error = failure;
        if (error != null) {
            throw error;
        }
    }
}
