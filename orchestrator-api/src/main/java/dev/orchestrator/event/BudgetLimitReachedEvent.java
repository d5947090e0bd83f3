package dev.orchestrator.event;

import dev.orchestrator.Money;
import dev.orchestrator.budget.BudgetScope;
import java.time.Instant;

/**
 * A call was not made because its worst-case cost would break a limit: work under it is paused.
 *
 * @since 0.1
 */
public record BudgetLimitReachedEvent(String project, String runId, Instant at, BudgetScope scope, Money spent,
    Money reserved, Money limit, Money wanted) implements BudgetEvent {}
