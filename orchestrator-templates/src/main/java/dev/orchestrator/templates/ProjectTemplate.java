package dev.orchestrator.templates;

import dev.orchestrator.Money;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.templates.internal.ProjectTemplateParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A project configuration template: everything a new project needs (provider instances, budgets, failure
 * policies, notification rules and the workflow templates to install), so that
 * {@link TemplateLibrary#setUpProject(String, String)} sets one up in one step. Projects, budgets and notifiers
 * are built by other modules; this is the validated value they are configured from. Immutable and thread-safe.
 *
 * <p>Secrets never appear in a template: a property whose name suggests one ({@code api_key}, {@code token},
 * {@code password}, a webhook URL) must be an environment reference such as {@code ${env:ANTHROPIC_API_KEY}}.
 *
 * @param id the short name people type ({@code content_team})
 * @param name the display name
 * @param description what kind of project it suits
 * @param providers the provider instances to configure (name, plugin type, properties such as {@code model})
 * @param budgets the spending limits and alert thresholds
 * @param policies retry, circuit breaker, priority aging and simulator policies
 * @param notifications who hears about which events, and how
 * @param workflows ids of the workflow templates to install in the project
 * @param origin where it was loaded from
 */
public record ProjectTemplate(
    String id,
    String name,
    String description,
    List<PluginConfig> providers,
    Budgets budgets,
    Policies policies,
    List<NotificationRule> notifications,
    List<String> workflows,
    TemplateOrigin origin) {

  public ProjectTemplate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(budgets, "budgets");
    Objects.requireNonNull(policies, "policies");
    Objects.requireNonNull(origin, "origin");
    providers = List.copyOf(providers);
    notifications = List.copyOf(notifications);
    workflows = List.copyOf(workflows);
  }

  /**
   * Reads a project template from JSON text.
   *
   * @throws InvalidTemplateException listing every problem
   */
  public static ProjectTemplate parse(String json) {
    return ProjectTemplateParser.parse(json, TemplateOrigin.text(), null);
  }

  /**
   * Reads a project template from JSON text that came from {@code origin}.
   *
   * @param idHint the id when the document has no {@code id} field, or null
   * @throws InvalidTemplateException listing every problem
   */
  public static ProjectTemplate parse(String json, TemplateOrigin origin, @Nullable String idHint) {
    return ProjectTemplateParser.parse(json, origin, idHint);
  }

  /**
   * Reads a project template file; its id is the file name without {@code .json}.
   *
   * @throws InvalidTemplateException listing every problem
   * @throws UncheckedIOException when the file cannot be read
   */
  public static ProjectTemplate read(Path file) {
    try {
      return ProjectTemplateParser.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read project template " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Spending limits.
   *
   * @param timeZone the zone whose calendar days daily limits follow; UTC by default
   * @param alertThresholds percentages of a limit at which an alert fires once, ascending; 50, 75, 90 by default
   * @param limits the limits
   */
  public record Budgets(ZoneId timeZone, List<Integer> alertThresholds, List<BudgetLimit> limits) {
    public Budgets {
      Objects.requireNonNull(timeZone, "timeZone");
      alertThresholds = List.copyOf(alertThresholds);
      limits = List.copyOf(limits);
    }

    /** No limits, UTC, alerts at 50, 75 and 90 percent. */
    public static Budgets none() {
      return new Budgets(ZoneId.of("UTC"), List.of(50, 75, 90), List.of());
    }
  }

  /**
   * One spending limit.
   *
   * @param scope what the limit applies to
   * @param provider the provider instance of a {@link Scope#PROVIDER} limit, else null
   * @param period whether the limit is for all time or per calendar day
   * @param limit the amount
   */
  public record BudgetLimit(Scope scope, @Nullable String provider, Period period, Money limit) {
    public BudgetLimit {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(period, "period");
      Objects.requireNonNull(limit, "limit");
      if ((scope == Scope.PROVIDER) != (provider != null)) {
        throw new IllegalArgumentException("a budget limit names a provider exactly when its scope is provider"
            + " (scope " + scope + ", provider " + provider + ")");
      }
      if (limit.isNegative()) {
        throw new IllegalArgumentException("a budget limit must not be negative (was " + limit + ")");
      }
    }
  }

  /** What a {@link BudgetLimit} applies to. */
  public enum Scope {
    /** All spending of the project. */
    PROJECT,
    /** Spending on one provider instance. */
    PROVIDER,
    /** Each task's spending (a default for tasks that set no {@code max_cost}). */
    TASK
  }

  /** The period of a {@link BudgetLimit}. */
  public enum Period {
    /** For the life of the project. */
    TOTAL,
    /** Per calendar day in the budgets' time zone. */
    DAILY
  }

  /**
   * Failure and scheduling policies, with the roadmap's defaults.
   *
   * @param maxAttempts attempts per task including the first; 4 by default
   * @param initialBackoff the first retry delay, doubled each time; 1 minute by default
   * @param maxBackoff the longest retry delay; 8 minutes by default
   * @param circuitFailureThreshold failures within the window that open a provider's circuit; 3 by default
   * @param circuitWindow the window failures are counted in; 10 minutes by default
   * @param circuitOpenFor how long an open circuit first stops calls before a test call; 30 seconds by default, as the
   *     engine's breaker ({@link CircuitBreakerPolicy#ofDefaults()}), whose later openings double up to an hour
   * @param priorityBoostAfter how long a ready task waits before moving up a lane; 24 hours by default
   * @param allowSimulator whether a provider without a key may run on the simulator; false by default
   * @param defaultTimeout the timeout of a provider call when a task sets none, or null for none
   */
  public record Policies(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      int circuitFailureThreshold,
      Duration circuitWindow,
      Duration circuitOpenFor,
      Duration priorityBoostAfter,
      boolean allowSimulator,
      @Nullable Duration defaultTimeout) {
    public Policies {
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      Objects.requireNonNull(circuitWindow, "circuitWindow");
      Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
      Objects.requireNonNull(priorityBoostAfter, "priorityBoostAfter");
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException("max_attempts must be from 1 to 100 (was " + maxAttempts + ")");
      }
      if (circuitFailureThreshold < 1) {
        throw new IllegalArgumentException("failure_threshold must be >= 1 (was " + circuitFailureThreshold + ")");
      }
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("max_delay " + maxBackoff + " is shorter than initial_delay "
            + initialBackoff + ": make it at least as long");
      }
    }

    /** The roadmap's defaults. */
    public static Policies defaults() {
      return new Policies(4, Duration.ofMinutes(1), Duration.ofMinutes(8), 3, Duration.ofMinutes(10),
          CircuitBreakerPolicy.ofDefaults().openFor(), Duration.ofHours(24), false, null);
    }
  }

  /**
   * Who hears about which events.
   *
   * @param events event names in snake case, such as {@code task_failed} or {@code budget_threshold_crossed}
   * @param channel the notifier type: {@code email}, {@code slack}, {@code discord}, {@code sms} or {@code webhook}
   * @param target the address, phone number, or an environment reference for a secret URL
   */
  public record NotificationRule(List<String> events, String channel, String target) {
    public NotificationRule {
      events = List.copyOf(events);
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(target, "target");
      if (events.isEmpty()) {
        throw new IllegalArgumentException("a notification rule needs at least one event in 'on'");
      }
    }
  }
}
