package dev.orchestrator.event;

import dev.orchestrator.budget.BudgetScope;

/**
 * An event about a budget. It carries the project and run of the call whose reservation or settlement caused it,
 * whatever the budget's scope.
 *
 * @since 0.1
 */
public sealed interface BudgetEvent extends Event permits BudgetThresholdCrossedEvent, BudgetLimitReachedEvent {
  /** The budget's scope. */
  BudgetScope scope();
}
