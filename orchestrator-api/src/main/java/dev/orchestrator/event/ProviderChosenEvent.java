package dev.orchestrator.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A learning strategy chose the provider for a task when it was first dispatched, and ordered the candidates to fail
 * over to.
 *
 * @param taskType the task's type
 * @param provider the provider instance it runs on first
 * @param failover the candidates to move to when it fails, in order
 * @param strategy the strategy's name, such as {@code adaptive}
 * @param reason why, in words
 * @since 0.1
 */
public record ProviderChosenEvent(String project, String runId, String taskId, Instant at, String taskType,
    String provider, List<String> failover, String strategy, String reason) implements TaskEvent {
  public ProviderChosenEvent {
    Objects.requireNonNull(provider, "provider");
    failover = List.copyOf(failover);
    Objects.requireNonNull(reason, "reason");
  }
}
