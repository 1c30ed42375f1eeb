package io.llmgateway.host.router;

import java.util.Optional;

import io.llmgateway.api.Capacity;

/**
 * A deployment as one public model uses it: with the model's weight for it and the model id it is sent.
 *
 * @param deployment    the deployment
 * @param upstreamModel the model id to send; empty sends the name the client asked for
 * @param weight        share of its tier's traffic
 */
record Route(Deployment deployment, Optional<String> upstreamModel, double weight) implements Balancer.Candidate {

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

    /** The model id for a request that asked for {@code requested}. */
    String modelFor(String requested) {
        return upstreamModel.orElse(requested);
    }
}
