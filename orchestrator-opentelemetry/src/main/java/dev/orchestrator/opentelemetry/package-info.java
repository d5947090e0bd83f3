/**
 * For application developers: OpenTelemetry traces of an {@link dev.orchestrator.core.Orchestrator}.
 *
 * <p>{@link dev.orchestrator.opentelemetry.OrchestratorTracing} turns the engine's events into a span per run, per
 * task and per provider attempt, the attempts with the OpenTelemetry GenAI semantic conventions
 * ({@code gen_ai.operation.name}, {@code gen_ai.provider.name}, {@code gen_ai.request.model},
 * {@code gen_ai.usage.input_tokens}, ...). Prompts and outputs are recorded only when asked for.
 */
@NullMarked
package dev.orchestrator.opentelemetry;

import org.jspecify.annotations.NullMarked;
