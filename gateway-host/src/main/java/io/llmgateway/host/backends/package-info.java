/**
 * Deployments from plugins: starting a backend instance for a deployment from the loaded plugins with its own
 * settings ({@link io.llmgateway.host.backends.PluginDeployments}), and the routing that today's environment
 * variables describe when no configuration file is given ({@link io.llmgateway.host.backends.EnvironmentRouting}).
 */
package io.llmgateway.host.backends;
