/**
 * HTTP plumbing shared by every route: request ids, and OpenAI-shaped errors for everything that can
 * go wrong (bad input, unknown paths, wrong methods, malformed HTTP, faults).
 */
package io.llmgateway.host.http;
