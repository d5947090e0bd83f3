package dev.orchestrator.event;

import java.time.Instant;

/**
 * A provider was paused by hand: its queued tasks wait, running ones finish.
 *
 * @since 0.1
 */
public record ProviderPausedEvent(String provider, Instant at, String reason) implements ProviderEvent {}
