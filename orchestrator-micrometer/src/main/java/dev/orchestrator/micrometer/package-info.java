/**
 * For application developers: Micrometer meters of an {@link dev.orchestrator.core.Orchestrator}.
 *
 * <p>{@link dev.orchestrator.micrometer.OrchestratorMetrics} binds them to any {@code MeterRegistry}, as Micrometer's
 * own binders do: counters and a timer fed by the engine's events (attempts, provider latency, tokens, cost), and
 * gauges read from the store when the registry asks (tasks by state, queue depth per lane, circuit breakers, budget
 * utilisation). The meter names and tags are listed in {@link dev.orchestrator.micrometer.OrchestratorMeters}.
 */
@NullMarked
package dev.orchestrator.micrometer;

import org.jspecify.annotations.NullMarked;
