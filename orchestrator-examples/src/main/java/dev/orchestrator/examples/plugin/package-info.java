/**
 * For plugin authors: a complete, small provider plugin to copy. {@link dev.orchestrator.examples.plugin.ShoutProvider}
 * answers every prompt in capitals after a configurable delay; {@link dev.orchestrator.examples.plugin.ShoutProviderFactory}
 * creates it from configuration and is registered in
 * {@code META-INF/services/dev.orchestrator.spi.provider.ProviderFactory}; its test extends {@code ProviderContract}.
 * {@code docs/providers.md} walks through it.
 */
@NullMarked
package dev.orchestrator.examples.plugin;

import org.jspecify.annotations.NullMarked;
