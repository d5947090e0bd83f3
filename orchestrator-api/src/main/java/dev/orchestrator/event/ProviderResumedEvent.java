package dev.orchestrator.event;

import java.time.Instant;

/**
 * A paused provider was resumed.
 *
 * @since 0.1
 */
public record ProviderResumedEvent(String provider, Instant at) implements ProviderEvent {}
