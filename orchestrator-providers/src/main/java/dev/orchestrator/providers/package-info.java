/**
 * For application developers: the bundled AI provider plugins. Each type is a
 * {@link dev.orchestrator.spi.provider.ProviderFactory} discovered through {@link java.util.ServiceLoader}:
 * {@code openai} ({@link dev.orchestrator.providers.OpenAiProviderFactory}), {@code anthropic}
 * ({@link dev.orchestrator.providers.AnthropicProviderFactory}), {@code gemini}
 * ({@link dev.orchestrator.providers.GeminiProviderFactory}), {@code cli}
 * ({@link dev.orchestrator.providers.CliProviderFactory}) and {@code simulator}
 * ({@link dev.orchestrator.providers.SimulatorProviderFactory}). Each factory's Javadoc lists the properties it
 * reads; {@code docs/providers.md} shows whole configurations. The classes that do the work live in
 * {@code dev.orchestrator.providers.internal} and carry no compatibility promise.
 */
@NullMarked
package dev.orchestrator.providers;

import org.jspecify.annotations.NullMarked;
