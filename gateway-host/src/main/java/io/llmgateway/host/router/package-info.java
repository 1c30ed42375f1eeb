/**
 * The router: every chat call's way to a deployment. {@link io.llmgateway.host.router.Router} holds the current
 * {@link io.llmgateway.host.router.RouterState} (deployments and public models, immutable) and swaps it on a reload;
 * {@link io.llmgateway.host.router.RoutedCall} is one request's attempt loop (retries, fallbacks, the routing
 * headers); a {@link io.llmgateway.host.router.Deployment} is one backend instance with its breakers, latency estimate
 * and attempts in flight. The parts below have one job each and no I/O of their own, so they are tested on a manual
 * clock: the circuit breaker ({@link io.llmgateway.host.router.Breaker}), the latency estimate
 * ({@link io.llmgateway.host.router.PeakEwma}), the choice among a tier's healthy deployments
 * ({@link io.llmgateway.host.router.Balancer}) and the retry delays ({@link io.llmgateway.host.router.Backoff}).
 * Nothing here knows a backend by name.
 */
package io.llmgateway.host.router;
