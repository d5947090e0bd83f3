/**
 * For plugin authors: an example plugin for DeepSeek's OpenAI-compatible API, written only against the provider
 * toolkit ({@code dev.orchestrator.providers.http}) and the API. {@code docs/plugins.md} walks through it.
 */
@NullMarked
package dev.orchestrator.examples.deepseek;

import org.jspecify.annotations.NullMarked;
