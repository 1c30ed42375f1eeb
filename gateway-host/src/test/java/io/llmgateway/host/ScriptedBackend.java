package io.llmgateway.host;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.llmgateway.api.Backend;
import io.llmgateway.api.BackendHealth;
import io.llmgateway.api.BackendProvider;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.PluginContext;
import io.llmgateway.api.PluginDescriptor;
import io.llmgateway.api.PluginKind;
import io.llmgateway.api.SessionInfo;

/**
 * A backend whose behaviour each test sets: what a call does, its health and its sessions. It records
 * every exchange it served and every exception its calls ended with.
 */
final class ScriptedBackend implements Backend {

    private final String type;
    private final List<ModelInfo> models;
    private final AtomicReference<Script> script = new AtomicReference<>((exchange, sink) -> { });
    private final AtomicReference<BackendHealth> health = new AtomicReference<>(BackendHealth.up());
    private final AtomicReference<List<SessionInfo>> sessions = new AtomicReference<>(List.of());
    private final List<ChatExchange> served = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    private final AtomicReference<PluginContext> context = new AtomicReference<>();
    private volatile boolean closed;

    ScriptedBackend(String type, String... models) {
        this.type = type;
        this.models = Arrays.stream(models).map(id -> new ModelInfo(id, type, 0)).toList();
    }

    void script(Script next) {
        script.set(next);
    }

    void health(BackendHealth next) {
        health.set(next);
    }

    void sessions(List<SessionInfo> next) {
        sessions.set(next);
    }

    List<ChatExchange> served() {
        return served;
    }

    List<RuntimeException> failures() {
        return failures;
    }

    BackendProvider provider() {
        return provider(PluginDescriptor.undeclared(PluginKind.BACKEND, type));
    }

    /** A provider that declares a descriptor, such as one with settings. */
    BackendProvider provider(PluginDescriptor descriptor) {
        return new BackendProvider() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public PluginDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public Backend create(PluginContext created) {
                context.set(created);
                return ScriptedBackend.this;
            }
        };
    }

    /** The context the backend was created with. */
    PluginContext context() {
        return context.get();
    }

    @Override
    public List<ModelInfo> models() {
        return models;
    }

    @Override
    public void chat(ChatExchange exchange, ChatSink sink) {
        served.add(exchange);
        try {
            script.get().run(exchange, sink);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            failures.add(e);
            throw e;
        }
    }

    @Override
    public BackendHealth health() {
        return health.get();
    }

    @Override
    public List<SessionInfo> sessions() {
        return sessions.get();
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    /** What one call does. */
    @FunctionalInterface
    interface Script {
        void run(ChatExchange exchange, ChatSink sink) throws InterruptedException;
    }
}
