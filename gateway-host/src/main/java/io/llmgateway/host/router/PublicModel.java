package io.llmgateway.host.router;

import java.util.List;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * A public model name and how it is served: its deployments in tiers (lowest priority first), how one is
 * picked within a tier, and the models to fall back to.
 *
 * @param name                   the public name, or the glob for a pattern
 * @param pattern                whether {@code name} is a glob
 * @param balancer               how a tier's deployment is picked
 * @param tiers                  the deployments by priority, lowest first; none empty
 * @param fallbacks              public models tried in order when this one cannot serve
 * @param contextWindowFallbacks public models tried when a request does not fit this one's context window
 * @param contextWindow          its context window in tokens, if declared
 */
record PublicModel(String name, boolean pattern, Balancer balancer, List<List<Route>> tiers, List<String> fallbacks,
                   List<String> contextWindowFallbacks, OptionalInt contextWindow) {

    PublicModel {
        requireNonNull(name, "name is null");
        requireNonNull(balancer, "balancer is null");
        tiers = tiers.stream().map(List::copyOf).toList();
        fallbacks = List.copyOf(fallbacks);
        contextWindowFallbacks = List.copyOf(contextWindowFallbacks);
    }

    /** Whether a client's model name is served by this one. */
    boolean matches(String requested) {
        return pattern ? Glob.matches(name, requested) : name.equals(requested);
    }

    /** {@return the type of the first deployment of the first tier, for middleware that asks} */
    String primaryType() {
        return tiers.getFirst().getFirst().deployment().type();
    }
}
