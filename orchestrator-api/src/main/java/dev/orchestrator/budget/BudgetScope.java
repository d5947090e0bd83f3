package dev.orchestrator.budget;

import java.util.Locale;
import java.util.Objects;

/**
 * What a budget limits: everything, one project, one provider (in total or per calendar day), one run or one task.
 * Create one with its factories ({@link #project}, {@link #providerDaily}, ...). Immutable and thread-safe.
 *
 * <p>A record: its shape is final. A scope is a level and a name, and a new level is a new {@link Kind}, never a
 * new component; stores and events keep scopes as exactly these two values.
 *
 * @param kind the level
 * @param name the project, provider, run id or {@code runId/taskId}; empty for {@link Kind#GLOBAL}
 * @since 0.1
 */
public record BudgetScope(Kind kind, String name) {
  /** The levels a budget can apply to. */
  public enum Kind {
    /** All spending. */
    GLOBAL,
    /** One project. */
    PROJECT,
    /** One provider instance, in total. */
    PROVIDER,
    /** One provider instance, per calendar day in the engine's budget time zone. */
    PROVIDER_DAILY,
    /** One run. */
    RUN,
    /** One task of one run. */
    TASK
  }

  public BudgetScope {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (kind != Kind.GLOBAL && name.isBlank()) {
      throw new IllegalArgumentException("a " + kind + " budget needs a name (was blank)");
    }
    if (kind == Kind.PROVIDER || kind == Kind.PROVIDER_DAILY) {
      name = name.trim().toLowerCase(Locale.ROOT);
    }
  }

  /** All spending. */
  public static BudgetScope global() {
    return new BudgetScope(Kind.GLOBAL, "");
  }

  /** One project. */
  public static BudgetScope project(String project) {
    return new BudgetScope(Kind.PROJECT, project);
  }

  /** One provider, in total. */
  public static BudgetScope provider(String provider) {
    return new BudgetScope(Kind.PROVIDER, provider);
  }

  /** One provider, per calendar day. */
  public static BudgetScope providerDaily(String provider) {
    return new BudgetScope(Kind.PROVIDER_DAILY, provider);
  }

  /** One run. */
  public static BudgetScope run(String runId) {
    return new BudgetScope(Kind.RUN, runId);
  }

  /** One task of one run. */
  public static BudgetScope task(String runId, String taskId) {
    return new BudgetScope(Kind.TASK, runId + "/" + taskId);
  }

  /** For people: {@code project quantum-self}, {@code claude daily}, {@code global}. */
  @Override
  public String toString() {
    return switch (kind) {
      case GLOBAL -> "global";
      case PROJECT -> "project " + name;
      case PROVIDER -> name + " total";
      case PROVIDER_DAILY -> name + " daily";
      case RUN -> "run " + name;
      case TASK -> "task " + name;
    };
  }
}
