/**
 * The router's parts, each with one job and no I/O of its own, so they can be tested on a manual clock:
 * a deployment's circuit breaker ({@link io.llmgateway.host.router.Breaker}), its latency estimate
 * ({@link io.llmgateway.host.router.PeakEwma}), the choice among its healthy deployments
 * ({@link io.llmgateway.host.router.Balancer}) and the retry delays ({@link io.llmgateway.host.router.Backoff}).
 * The attempt loop that puts them together over a model's deployments and fallbacks comes with the
 * deployments configuration; nothing here knows a backend by name.
 */
package io.llmgateway.host.router;
