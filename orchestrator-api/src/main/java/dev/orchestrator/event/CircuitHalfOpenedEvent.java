package dev.orchestrator.event;

import java.time.Instant;

/**
 * An open circuit lets one probe call through.
 *
 * @since 0.1
 */
public record CircuitHalfOpenedEvent(String provider, Instant at) implements ProviderEvent {}
