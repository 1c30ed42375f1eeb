/**
 * Configuration: the environment the gateway starts with, the host's own settings, and what the host does with
 * the plugins' descriptors: it refuses a plugin built for another SPI ({@link io.llmgateway.host.config.SpiCompatibility}),
 * refuses an {@code LLM_*} variable nobody reads ({@link io.llmgateway.host.config.UnclaimedSettings}), binds and
 * validates each plugin's settings, scoped to what it declares ({@link io.llmgateway.host.config.PluginSettings}),
 * reads the tenants' keys file once for every plugin ({@link io.llmgateway.host.config.KeysFileWatcher}) and prints
 * every setting ({@link io.llmgateway.host.config.HelpConfig}). It knows no plugin by name.
 */
package io.llmgateway.host.config;
