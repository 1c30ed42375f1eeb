/**
 * Observability: Prometheus metrics through Helidon metrics (the host's own meters and the facade
 * plugins register theirs through) and the one JSON log line per request.
 */
package io.llmgateway.host.observe;
