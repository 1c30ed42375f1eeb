package io.llmgateway.backend.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.Backend;
import io.llmgateway.testkit.BackendContract;
import io.llmgateway.testkit.BackendScenario;

import org.junit.jupiter.api.io.TempDir;

/**
 * The Backend contract against the cli backend running the fake CLI, which plays each scenario's turn: an API
 * error result, a crash halfway through the stream, a process that stops writing.
 */
final class TestCliContract extends BackendContract {

    @TempDir
    Path dir;

    private final Map<Backend, CliFixture> fixtures = new IdentityHashMap<>();

    @Override
    protected Optional<Backend> backendFor(BackendScenario scenario) {
        Map<String, String> behaviour = switch (scenario) {
            case ANSWERS -> Map.of();
            case FAILS_BEFORE_FIRST_DELTA -> Map.of("FAKE_CLI_ERROR_ON_TURN", "1:529");
            case FAILS_AFTER_FIRST_DELTA -> Map.of("FAKE_CLI_CRASH_ON_TURN", "1");
            case HANGS -> Map.of("FAKE_CLI_HANG_ON_TURN", "1");
        };
        CliFixture fixture = CliFixture.start(dir.resolve(scenario.name().toLowerCase(java.util.Locale.ROOT)), Map.of(),
                                              behaviour).awaitUp();
        fixtures.put(fixture.backend(), fixture);
        return Optional.of(fixture.backend());
    }

    /**
     * A process that ignores the interrupt (the fake's hang) costs the whole interrupt grace before the 504: the
     * turn is drained on the request's thread. A process that obeys ends the turn at once.
     */
    @Override
    protected Duration deadlineSlack() {
        return CliTurn.INTERRUPT_GRACE.plusSeconds(3);
    }

    @Override
    protected void close(Backend backend) {
        fixtures.remove(backend).close();
    }
}
