package dev.orchestrator.event;

import dev.orchestrator.budget.BudgetScope;

/**
 * An event about a budget. A project budget's events belong to that project; other scopes' events belong to no
 * project ({@link #project()} is empty) unless they name one. {@link #runId()} is empty unless the scope is a run or
 * a task.
 */
public sealed interface BudgetEvent extends Event permits BudgetThresholdCrossedEvent, BudgetLimitReachedEvent {
  /** The budget's scope. */
  BudgetScope scope();
}
