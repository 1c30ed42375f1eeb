/**
 * The plugin SPI.
 *
 * <p>A backend ({@link io.llmgateway.api.Backend}) serves chat completions for the models it lists by
 * emitting {@link io.llmgateway.api.ChatDelta deltas} into a {@link io.llmgateway.api.ChatSink}; the host
 * turns them into a streamed or a whole OpenAI response, so both modes share one code path. A
 * middleware ({@link io.llmgateway.api.Middleware}) wraps every call: it may answer on its own (cache
 * hit, 429), watch the deltas on their way out (token counting, cache fill) or act when the call
 * ends. Plugins are found through {@link java.util.ServiceLoader} as {@link io.llmgateway.api.BackendProvider}
 * and {@link io.llmgateway.api.MiddlewareProvider} services.
 */
package io.llmgateway.api;
