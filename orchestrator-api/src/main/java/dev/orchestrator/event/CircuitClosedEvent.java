package dev.orchestrator.event;

import java.time.Instant;

/**
 * A probe succeeded: calls flow to the provider again.
 *
 * @since 0.1
 */
public record CircuitClosedEvent(String provider, Instant at) implements ProviderEvent {}
