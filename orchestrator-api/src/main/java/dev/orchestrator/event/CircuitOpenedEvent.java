package dev.orchestrator.event;

import java.time.Duration;
import java.time.Instant;

/**
 * A provider failed too often: no call goes to it for {@code openFor}.
 *
 * @since 0.1
 */
public record CircuitOpenedEvent(String provider, Instant at, int recentFailures, Duration openFor)
    implements ProviderEvent {}
