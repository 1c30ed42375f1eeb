package io.llmgateway.backend.api;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.Backend;
import io.llmgateway.testing.FakeAnthropicApi;
import io.llmgateway.testing.Reply;
import io.llmgateway.testkit.BackendContract;
import io.llmgateway.testkit.BackendScenario;

/**
 * The Backend contract against the api backend and a fake Anthropic API, which plays each scenario: a 500, a
 * stream that fails after two deltas, an upstream that never answers. The backend makes one attempt per call, so
 * a failure is the call's.
 */
final class TestApiContract extends BackendContract {

    private final Map<Backend, Upstream> upstreams = new IdentityHashMap<>();

    @Override
    protected Optional<Backend> backendFor(BackendScenario scenario) {
        FakeAnthropicApi api = FakeAnthropicApi.start();
        api.defaultReply(switch (scenario) {
            case ANSWERS -> FakeAnthropicApi.DEFAULT_REPLY;
            case FAILS_BEFORE_FIRST_DELTA -> Reply.apiError();
            case FAILS_AFTER_FIRST_DELTA -> Reply.streamError("Hello", " from");
            case HANGS -> Reply.hang();
        });
        ApiFixture fixture = ApiFixture.start(Map.of("ANTHROPIC_API_KEY", "sk-test", "ANTHROPIC_BASE_URL", api.baseUrl()));
        upstreams.put(fixture.backend(), new Upstream(api, fixture));
        return Optional.of(fixture.backend());
    }

    @Override
    protected void close(Backend backend) {
        Upstream upstream = upstreams.remove(backend);
        upstream.fixture().close();
        upstream.api().close();
    }

    private record Upstream(FakeAnthropicApi api, ApiFixture fixture) {
    }
}
