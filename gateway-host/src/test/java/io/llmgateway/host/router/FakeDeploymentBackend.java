package io.llmgateway.host.router;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatDelta;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FinishReason;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.TokenUsage;

/** A backend double for the router's tests: answers by a script it can be given at any time, counting its calls. */
final class FakeDeploymentBackend implements Backend {

    private final String name;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile BiConsumer<ChatExchange, ChatSink> script;

    FakeDeploymentBackend(String name) {
        this.name = name;
        this.script = (exchange, sink) -> answer(sink, "from " + name);
    }

    /** Answers every later call with the script. */
    FakeDeploymentBackend script(BiConsumer<ChatExchange, ChatSink> next) {
        this.script = next;
        return this;
    }

    /** Fails every later call with the failure. */
    FakeDeploymentBackend failing(RuntimeException failure) {
        return script((exchange, sink) -> {
            throw failure;
        });
    }

    static void answer(ChatSink sink, String text) {
        sink.emit(new ChatDelta.Text(text));
        sink.emit(new ChatDelta.Finish(FinishReason.STOP));
        sink.emit(new ChatDelta.Usage(TokenUsage.of(1, 1)));
    }

    int calls() {
        return calls.get();
    }

    boolean closed() {
        return closed.get();
    }

    String name() {
        return name;
    }

    @Override
    public List<ModelInfo> models() {
        return List.of();
    }

    @Override
    public void chat(ChatExchange exchange, ChatSink sink) {
        calls.incrementAndGet();
        script.accept(exchange, sink);
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
