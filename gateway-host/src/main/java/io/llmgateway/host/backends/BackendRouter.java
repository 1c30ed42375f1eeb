package io.llmgateway.host.backends;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.Backend;
import io.llmgateway.api.GatewayException;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.api.SessionInfo;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The enabled backends, the default first. A request goes to the default backend when it serves the
 * model, else to the first other enabled backend that does; a model nobody serves is a 404.
 */
public final class BackendRouter implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(BackendRouter.class.getName());

    private final List<Enabled> enabled;

    /**
     * Creates a router.
     *
     * @param enabled the enabled backends, the default first
     */
    public BackendRouter(List<Enabled> enabled) {
        if (enabled.isEmpty()) {
            throw new IllegalArgumentException("at least one backend must be enabled");
        }
        this.enabled = List.copyOf(enabled);
    }

    /**
     * The backend for a model.
     *
     * @param model the model asked for
     * @return the backend
     * @throws GatewayException 404 {@code model_not_found} when no enabled backend serves it
     */
    public Enabled route(String model) {
        for (Enabled backend : enabled) {
            if (backend.backend().serves(model)) {
                return backend;
            }
        }
        throw GatewayException.modelNotFound(model);
    }

    /**
     * The default backend.
     *
     * @return the backend named by {@code LLM_BACKEND}
     */
    public Enabled defaultBackend() {
        return enabled.getFirst();
    }

    /**
     * All enabled backends, the default first.
     *
     * @return the backends
     */
    public List<Enabled> all() {
        return enabled;
    }

    /**
     * Every model of every enabled backend; when two list the same id, the one that serves it wins.
     *
     * @return the models
     */
    public List<ModelInfo> models() {
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        for (Enabled backend : enabled) {
            for (ModelInfo model : backend.backend().models()) {
                byId.putIfAbsent(model.id(), model);
            }
        }
        return List.copyOf(byId.values());
    }

    /**
     * One model by id.
     *
     * @param id the model id
     * @return the model if an enabled backend lists it
     */
    public Optional<ModelInfo> model(String id) {
        return models().stream().filter(model -> model.id().equals(id)).findFirst();
    }

    /**
     * Every session of every backend.
     *
     * @return the sessions with their backend type
     */
    public List<BackendSession> sessions() {
        List<BackendSession> sessions = new ArrayList<>();
        for (Enabled backend : enabled) {
            backend.backend().sessions().forEach(session -> sessions.add(new BackendSession(backend.type(), session)));
        }
        return sessions;
    }

    @Override
    public void close() {
        for (Enabled backend : enabled.reversed()) {
            try {
                backend.backend().close();
            } catch (RuntimeException e) {
                LOGGER.log(WARNING, "backend " + backend.type() + " failed to close cleanly", e);
            }
        }
    }

    /**
     * An enabled backend.
     *
     * @param type    its type ({@code mock}, {@code cli}, ...)
     * @param backend the backend
     */
    public record Enabled(String type, Backend backend) {
    }

    /**
     * A session and the backend that holds it.
     *
     * @param backend the backend type
     * @param session the session
     */
    public record BackendSession(String backend, SessionInfo session) {
    }
}
