package dev.orchestrator.spi.store;

import dev.orchestrator.budget.BudgetScope;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A budget account: a scope in one period ({@code day} is set only for daily scopes).
 *
 * <p>A record: its shape is final (an account is named by its scope and day, and nothing else).
 *
 * @param scope the scope
 * @param day the calendar day of a daily scope, else null
 * @since 0.1
 */
public record Account(BudgetScope scope, @Nullable LocalDate day) {
  public Account {
    Objects.requireNonNull(scope, "scope");
  }
}
