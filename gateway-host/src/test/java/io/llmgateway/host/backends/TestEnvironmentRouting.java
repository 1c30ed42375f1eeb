package io.llmgateway.host.backends;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.llmgateway.api.Backend;
import io.llmgateway.api.ChatExchange;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.ModelInfo;
import io.llmgateway.host.config.RoutingConfig;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Without a file: the names the backends list, each served by the first that lists it, and the patterns. */
class TestEnvironmentRouting {

    @Test
    void eachListedNameGoesToTheFirstBackendListingItAndAPatternToTheFirstTakingSuchNames() {
        Map<String, Backend> backends = new LinkedHashMap<>();
        backends.put("mock", new FakeListingBackend(List.of("claude-sonnet", "mock"), false));
        backends.put("cli", new FakeListingBackend(List.of("claude-sonnet", "claude-opus"), true));

        List<RoutingConfig.Model> models = EnvironmentRouting.models(backends, List.of("claude-*", "gpt-*"));

        assertThat(models.stream().map(model -> model.name() + "->" + model.targets().getFirst().deployment()).toList(),
                   contains("claude-sonnet->mock", "mock->mock", "claude-opus->cli", "claude-*->cli"));
        assertThat(models.getLast().pattern(), is(true));
    }

    /** A backend double that lists given names and takes any claude-* name when asked to. */
    private record FakeListingBackend(List<String> listed, boolean takesClaudeNames) implements Backend {
        @Override
        public List<ModelInfo> models() {
            return listed.stream().map(id -> new ModelInfo(id, "test", 0)).toList();
        }

        @Override
        public boolean serves(String model) {
            return takesClaudeNames ? model.startsWith("claude-") : Backend.super.serves(model);
        }

        @Override
        public void chat(ChatExchange exchange, ChatSink sink) {
            throw new UnsupportedOperationException();
        }
    }
}
