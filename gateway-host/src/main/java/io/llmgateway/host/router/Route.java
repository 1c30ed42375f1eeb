package io.llmgateway.host.router;

import java.util.Optional;

import io.llmgateway.api.Capacity;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

/**
 * A deployment as one public model uses it: with the model's weight for it, the model id it is sent, and the
 * breaker of that model on that deployment.
 *
 * @param deployment    the deployment
 * @param upstreamModel the model id to send; empty sends the name the client asked for
 * @param weight        share of its tier's traffic
 * @param breaker       the deployment's breaker for the model as configured
 * @param clientNamed   whether the model sent is whatever name the client asked for (a pattern without a model id)
 */
record Route(Deployment deployment, Optional<String> upstreamModel, double weight, Breaker breaker,
             boolean clientNamed) implements Balancer.Candidate {

    @Override
    public int inFlight() {
        return deployment.inFlight();
    }

    @Override
    public PeakEwma latency() {
        return deployment.latency();
    }

    /** Whether it can start an attempt without queueing, as far as its backend tells. */
    boolean hasRoom() {
        Optional<Capacity> capacity = deployment.backend().capacity();
        return capacity.isEmpty() || capacity.get().free() > 0;
    }

    /**
     * What a failure means here: a model the upstream does not know is the deployment's fault when the model was
     * configured, but the client's when the client named it through a pattern (else inventing names would cool the
     * deployment down for everyone).
     */
    FailureKind kindOf(GatewayException failure) {
        FailureKind kind = failure.failureKind();
        return clientNamed && kind == FailureKind.DEPLOYMENT_BROKEN && failure.status() == 404
                ? FailureKind.INVALID_REQUEST
                : kind;
    }

    /** The model id for a request that asked for {@code requested}. */
    String modelFor(String requested) {
        return upstreamModel.orElse(requested);
    }
}
