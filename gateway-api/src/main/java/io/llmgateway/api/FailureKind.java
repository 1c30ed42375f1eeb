package io.llmgateway.api;

/**
 * What a failed call says about the deployment that failed it, decided by the backend that knows its upstream;
 * the router's policy (retry, fall back, cool the deployment down) follows from it.
 */
public enum FailureKind {
    /** The upstream limited the gateway's rate (429): another deployment may serve, this one cools down. */
    RATE_LIMITED,
    /** The upstream is overloaded (529, 503): retried elsewhere, counted against the deployment. */
    OVERLOADED,
    /** The upstream failed (500, 502, a broken answer): retried elsewhere, counted against the deployment. */
    SERVER,
    /** The upstream could not be reached (refused, reset before answering): retried elsewhere at once. */
    CONNECT,
    /** The upstream did not answer in time. */
    TIMEOUT,
    /** The deployment's allowance is used up (the CLI's usage limit, a credit balance): out until it resets. */
    QUOTA_EXHAUSTED,
    /** The deployment cannot serve at all (its credentials refused, its model unknown upstream). */
    DEPLOYMENT_BROKEN,
    /** The request does not fit the model's context window: only a larger-context model may serve it. */
    CONTEXT_WINDOW,
    /** The upstream refused the content; not routed around. */
    CONTENT_POLICY,
    /** The request itself is wrong; no deployment would serve it. */
    INVALID_REQUEST,
    /** The gateway's own refusal or the client's doing (a deadline, a limit, a disconnect): says nothing of the deployment. */
    CLIENT;

    /**
     * Whether another attempt (on this deployment or another of the model) may succeed.
     *
     * @return true for the transient kinds
     */
    public boolean transientFailure() {
        return switch (this) {
            case RATE_LIMITED, OVERLOADED, SERVER, CONNECT, TIMEOUT -> true;
            default -> false;
        };
    }

    /**
     * Whether the failure speaks of the deployment, so that its breaker counts it.
     *
     * @return true when the deployment is to blame
     */
    public boolean blamesDeployment() {
        return switch (this) {
            case RATE_LIMITED, OVERLOADED, SERVER, CONNECT, TIMEOUT, QUOTA_EXHAUSTED, DEPLOYMENT_BROKEN -> true;
            default -> false;
        };
    }
}
