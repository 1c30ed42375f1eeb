/**
 * {@code POST /v1/chat/completions}: reading and validating the request, passing it through the
 * middleware chain to its backend, and answering as one JSON object or as server-sent events.
 */
package io.llmgateway.host.chat;
