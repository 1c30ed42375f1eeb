package io.llmgateway.backend.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.Backend;
import io.llmgateway.testkit.BackendContract;
import io.llmgateway.testkit.BackendScenario;
import io.llmgateway.testkit.FakePluginContext;

import org.junit.jupiter.api.AfterEach;

/**
 * The Backend contract against the mock. It never fails, so those scenarios are skipped; a latency longer than
 * the deadline makes it hang.
 */
final class TestMockContract extends BackendContract {

    private final List<FakePluginContext> contexts = new ArrayList<>();

    @Override
    protected Optional<Backend> backendFor(BackendScenario scenario) {
        return switch (scenario) {
            case ANSWERS -> Optional.of(create(Map.of()));
            case HANGS -> Optional.of(create(Map.of("LLM_MOCK_LATENCY_MS", "600000")));
            case FAILS_BEFORE_FIRST_DELTA, FAILS_AFTER_FIRST_DELTA -> Optional.empty();
        };
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(FakePluginContext::close);
    }

    private Backend create(Map<String, String> environment) {
        FakePluginContext context = FakePluginContext.of(MockBackendProvider.DESCRIPTOR, environment);
        contexts.add(context);
        return new MockBackendProvider().create(context);
    }
}
