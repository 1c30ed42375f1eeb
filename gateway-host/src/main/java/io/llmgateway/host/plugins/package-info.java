/**
 * Finding plugins: one folder per plugin under the plugins directory, loaded into its own module
 * layer (or class loader for plain jars), and the {@link io.llmgateway.api.PluginContext} each plugin is
 * created with. Loading never lets one broken plugin take the others down.
 */
package io.llmgateway.host.plugins;
