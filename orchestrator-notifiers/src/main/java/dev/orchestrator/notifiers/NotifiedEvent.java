package dev.orchestrator.notifiers;

import dev.orchestrator.Priority;
import dev.orchestrator.spi.notifier.Severity;
import java.util.Locale;
import java.util.Optional;

/**
 * The event names notification rules match ({@code "event": "task_failed"}), with the severity and priority a
 * notification of each gets when no task is concerned.
 *
 * <p>Which engine events produce which name:
 * <ul>
 *   <li>{@code task_failed}: {@link dev.orchestrator.event.TaskFailedEvent}</li>
 *   <li>{@code task_completed}: {@link dev.orchestrator.event.TaskSucceededEvent}</li>
 *   <li>{@code run_completed}: {@link dev.orchestrator.event.RunFinishedEvent}, whatever the run's status</li>
 *   <li>{@code input_requested}: {@link dev.orchestrator.event.InputRequestedEvent}</li>
 *   <li>{@code budget_exceeded}: {@link dev.orchestrator.event.BudgetLimitReachedEvent} (work paused at a
 *       budget limit)</li>
 *   <li>{@code budget_threshold}: {@link dev.orchestrator.event.BudgetThresholdCrossedEvent}</li>
 *   <li>{@code circuit_opened}: {@link dev.orchestrator.event.CircuitOpenedEvent}</li>
 *   <li>{@code schedule_misfired}: {@link dev.orchestrator.event.ScheduleMisfiredEvent}</li>
 *   <li>{@code provider_demoted}: {@link dev.orchestrator.event.ProviderDemotedEvent} (a provider failed too often
 *       on a task type; the details hold the evidence)</li>
 * </ul>
 */
public enum NotifiedEvent {
  /** A task failed for good (after its retries). */
  TASK_FAILED(Severity.CRITICAL, Priority.HIGH),
  /** A task succeeded. */
  TASK_COMPLETED(Severity.INFO, Priority.LOW),
  /** A run finished: succeeded, failed or cancelled. */
  RUN_COMPLETED(Severity.INFO, Priority.MEDIUM),
  /** A budget crossed one of its thresholds (50/75/90% by default). */
  BUDGET_THRESHOLD(Severity.WARNING, Priority.MEDIUM),
  /** A budget limit was reached and work is paused until it is raised. */
  BUDGET_EXCEEDED(Severity.CRITICAL, Priority.HIGH),
  /** A provider failed repeatedly and its circuit breaker opened. */
  CIRCUIT_OPENED(Severity.CRITICAL, Priority.HIGH),
  /** A task asks a human a question and waits for the answer. */
  INPUT_REQUESTED(Severity.WARNING, Priority.HIGH),
  /** A scheduled run did not start on time. */
  SCHEDULE_MISFIRED(Severity.WARNING, Priority.MEDIUM),
  /** A provider failed too often on a task type and is offered last for it for a while. */
  PROVIDER_DEMOTED(Severity.WARNING, Priority.MEDIUM);

  private final Severity severity;
  private final Priority priority;

  NotifiedEvent(Severity severity, Priority priority) {
    this.severity = severity;
    this.priority = priority;
  }

  /** The name rules use, such as {@code task_failed}. */
  public String ruleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The severity of its notifications. */
  public Severity severity() {
    return severity;
  }

  /** The priority of its notifications when no task (with a priority of its own) is concerned. */
  public Priority defaultPriority() {
    return priority;
  }

  /** The event of a rule name, ignoring case; empty when there is none. */
  public static Optional<NotifiedEvent> of(String ruleName) {
    for (NotifiedEvent e : values()) {
      if (e.ruleName().equalsIgnoreCase(ruleName.trim())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The accepted rule names, comma-separated, for messages. */
  public static String names() {
    StringBuilder b = new StringBuilder();
    for (NotifiedEvent e : values()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(e.ruleName());
    }
    return b.toString();
  }
}
