package dev.orchestrator.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A provider failed too often on a task type in a project: the learning strategies offer it last for that type until
 * {@code retryAt}. Written once per demotion, when the engine's statistics first see it.
 *
 * @param at when the engine announced it
 * @param provider the provider instance
 * @param taskType the task type it was demoted for (its other types are untouched)
 * @param since when the outcome that crossed the threshold happened
 * @param retryAt when it is offered again
 * @param failures the failures among the last {@code sample} outcomes
 * @param sample the outcomes judged
 * @param evidence the evidence in words, such as {@code claude failed 12 of its last 20 code_generation attempts ...}
 * @since 0.1
 */
public record ProviderDemotedEvent(String project, Instant at, String provider, String taskType, Instant since,
    Instant retryAt, int failures, int sample, String evidence) implements Event {
  public ProviderDemotedEvent {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(evidence, "evidence");
  }

  /** Empty: a demotion belongs to a project, not to a run. */
  @Override
  public String runId() {
    return "";
  }
}
