package dev.orchestrator.event;

/**
 * An event about a provider instance as a whole. It belongs to no project and no run: {@link #project()} and
 * {@link #runId()} are empty strings, and stores keep such events under the empty project name.
 *
 * @since 0.1
 */
public sealed interface ProviderEvent extends Event
    permits CircuitOpenedEvent, CircuitHalfOpenedEvent, CircuitClosedEvent, ProviderPausedEvent,
        ProviderResumedEvent {
  /** The provider instance. */
  String provider();

  @Override
  default String project() {
    return "";
  }

  @Override
  default String runId() {
    return "";
  }
}
