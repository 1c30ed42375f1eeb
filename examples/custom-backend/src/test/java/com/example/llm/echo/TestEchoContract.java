package com.example.llm.echo;

import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.Backend;
import io.llmgateway.testkit.BackendContract;
import io.llmgateway.testkit.BackendScenario;
import io.llmgateway.testkit.FakePluginContext;

/**
 * The gateway's Backend contract, run against the echo backend. It answers every call and has no upstream that
 * could fail or hang, so only the scenario {@link BackendScenario#ANSWERS} applies; the other tests are skipped.
 * A backend with an upstream sets a fake of it up for each scenario here.
 */
final class TestEchoContract extends BackendContract {

    @Override
    protected Optional<Backend> backendFor(BackendScenario scenario) {
        if (scenario != BackendScenario.ANSWERS) {
            return Optional.empty();
        }
        return Optional.of(new EchoBackendProvider().create(FakePluginContext.of(EchoBackendProvider.DESCRIPTOR, Map.of())));
    }
}
