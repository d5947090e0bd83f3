package dev.orchestrator.event;

import dev.orchestrator.Money;
import dev.orchestrator.budget.BudgetScope;
import java.time.Instant;

/**
 * Spending under a budget crossed one of its alert thresholds; fires once per threshold and period.
 *
 * @since 0.1
 */
public record BudgetThresholdCrossedEvent(String project, String runId, Instant at, BudgetScope scope,
    double threshold, Money spent, Money limit) implements BudgetEvent {}
