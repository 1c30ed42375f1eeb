/**
 * The read-only routes: {@code /v1/models}, {@code /health} (with liveness and readiness),
 * {@code /sessions} and {@code /metrics}.
 */
package io.llmgateway.host.endpoints;
