/**
 * The enabled backends and the choice of one per request (the service spec's Backend Selector).
 */
package io.llmgateway.host.backends;
