/**
 * Configuration: the environment the gateway starts with, the host's own settings, and what the host does with
 * the plugins' descriptors: it refuses a plugin built for another SPI ({@link io.llmgateway.host.config.SpiCompatibility}),
 * refuses an {@code LLM_*} variable nobody reads ({@link io.llmgateway.host.config.UnclaimedSettings}), binds and
 * validates each plugin's settings, scoped to what it declares ({@link io.llmgateway.host.config.PluginSettings}),
 * reads the tenants' keys file once for every plugin ({@link io.llmgateway.host.config.KeysFileWatcher}) and prints
 * every setting ({@link io.llmgateway.host.config.HelpConfig}). It knows no plugin by name.
 * <p>
 * The file {@code LLM_CONFIG} names (YAML: deployments, public models with their targets, weights, priorities and
 * fallbacks, router and middleware settings) is read by {@link io.llmgateway.host.config.ConfigFile} into a validated
 * {@link io.llmgateway.host.config.RoutingConfig}, or refused with one line that says where
 * ({@link io.llmgateway.host.config.ConfigException}); secret references in its settings are resolved then.
 * {@link io.llmgateway.host.config.ConfigFileWatcher} polls the file every {@code LLM_CONFIG_POLL} and hands each new,
 * settled content to whoever applies it; it keeps nothing itself, so the configuration in use stays until a new one
 * is accepted.
 */
package io.llmgateway.host.config;
