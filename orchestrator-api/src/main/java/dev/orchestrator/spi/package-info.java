/**
 * For plugin authors: what every plugin receives. Plugins are discovered through {@link java.util.ServiceLoader}
 * as factories ({@link dev.orchestrator.spi.provider.ProviderFactory}, ...), and a factory creates the plugin
 * from a configuration and a narrow {@link dev.orchestrator.spi.PluginContext}; it never sees the engine.
 * SPIs evolve only by adding default methods.
 */
@NullMarked
package dev.orchestrator.spi;

import org.jspecify.annotations.NullMarked;
