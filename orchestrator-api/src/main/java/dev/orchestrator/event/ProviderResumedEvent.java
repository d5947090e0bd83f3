package dev.orchestrator.event;

import java.time.Instant;

/** A paused provider was resumed. */
public record ProviderResumedEvent(String provider, Instant at) implements ProviderEvent {}
