package dev.orchestrator.core.internal;

import dev.orchestrator.Money;
import dev.orchestrator.core.learn.OutcomeProjection;
import dev.orchestrator.core.learn.TaskTypes;
import dev.orchestrator.event.ProviderChosenEvent;
import dev.orchestrator.event.ProviderDemotedEvent;
import dev.orchestrator.learn.Assignment;
import dev.orchestrator.learn.Choice;
import dev.orchestrator.learn.Demotion;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.workflow.TaskSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the project's learning strategy which candidate a task runs on, the first time it is dispatched, from the
 * statistics projected from the store's event stream; announces the demotions those statistics show. A project's own
 * strategy wins over the engine-wide one; without either, tasks run as assigned. Confined to the drain loop, but
 * for {@link #preview}, which dry runs call on their own threads: it reads the strategies (set before the engine
 * starts) and the thread-safe projection, and announces nothing.
 */
final class Learning {
  private static final Logger log = LoggerFactory.getLogger(Learning.class);

  /** A strategy and the name recorded with its choices. */
  record Named(String name, LearningStrategy strategy) {}

  private final EngineContext ctx;
  private final Budgets budgets;
  private final OutcomeProjection statistics;
  private @Nullable Named fallback;
  private final Map<String, Named> byProject = new HashMap<>();
  /** Demotions this engine announced. */
  private final Set<String> announced = new HashSet<>();
  private volatile boolean streamless; // read by dry runs on callers' threads too
  /** The message of the last failed catch-up, so that a stream stuck on one event is logged once. */
  private volatile @Nullable String lastCatchUpFailure;

  Learning(EngineContext ctx, Budgets budgets) {
    this.ctx = ctx;
    this.budgets = budgets;
    TaskTypes stored = TaskTypes.fromStore(ctx.store);
    // The runs this engine holds first: a store that is not durable keeps no workflow definitions.
    TaskTypes types = (project, runId, taskId) -> {
      RunState run = ctx.runs.state(runId);
      TaskSpec spec = run != null && run.project.equals(project) ? run.workflow.task(taskId) : null;
      return spec != null ? spec.taskType() : stored.taskType(project, runId, taskId);
    };
    this.statistics = OutcomeProjection.builder().taskTypes(types).build();
  }

  /** Whether a strategy decides in {@code project}; only there are its figures kept up to date. */
  boolean decidesFor(String project) {
    return strategy(project) != null;
  }

  /**
   * A call of the project failed: announces a demotion its outcome brought now, rather than at the project's next
   * decision (which may be hours away). Run in the loop after the failure is committed.
   */
  void announceDemotions(String project) {
    try {
      statistics(project, ctx.now(), true);
    } catch (RuntimeException e) {
      log.warn("Demotions not checked after a failure (project={}); the project's next decision does it", project, e);
    }
  }

  /** The project's figures, caught up with the store; announces nothing. */
  OutcomeStatistics statistics(String project, Instant now) {
    return statistics(project, now, false);
  }

  /** Uses {@code strategy} for the project's tasks, or for every project without its own when project is null. */
  void use(@Nullable String project, String name, LearningStrategy strategy) {
    Named named = new Named(name, strategy);
    if (project == null) {
      fallback = named;
    } else {
      byProject.put(project, named);
    }
  }

  /** The strategy of a project, or null when its tasks run as assigned. */
  @Nullable Named strategy(String project) {
    Named own = byProject.get(project);
    return own != null ? own : fallback;
  }

  /**
   * Orders the candidates of a task that has not run yet and has more than one, and records why; a choice that
   * names a provider the task may not use is ignored (and logged), so a broken strategy never misroutes a task.
   */
  void assign(TaskNode n, Instant now) {
    Slot[] candidates = n.candidates();
    if (candidates.length < 2 || !n.record.attempts().isEmpty() || n.extras().order != null) {
      return;
    }
    Named named = strategy(n.run.project);
    if (named == null) {
      return;
    }
    List<String> names = names(candidates);
    Choice choice = choose(named, n.run.project, n.run.id, n.spec, names, now, true);
    if (choice == null) {
      return;
    }
    Slot[] order = new Slot[choice.ordered().size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = candidates[names.indexOf(choice.ordered().get(i))];
    }
    n.extras().order = order;
    if (n.slot != order[0]) {
      n.slot = order[0];
      n.resetFailuresOnSlot();
    }
    ctx.emit(n.run, new ProviderChosenEvent(n.run.project, n.run.id, n.id(), now, n.spec.taskType(),
        choice.provider(), choice.failover(), named.name(), choice.reason()));
    log.debug("Provider chosen (strategy={}, run={}, task={}, provider={}, reason={})", named.name(), n.run.id,
        n.id(), choice.provider(), choice.reason());
  }

  /**
   * The order the project's strategy gives a task's collaborators for one consultation (the task's type and
   * statistics decide, as for the task itself), or null when the project has no strategy or its choice is not usable.
   */
  @Nullable List<String> consultationOrder(TaskNode n, List<String> collaborators, Instant now) {
    Named named = strategy(n.run.project);
    if (named == null || collaborators.size() < 2) {
      return null;
    }
    Choice choice = choose(named, n.run.project, n.run.id, n.spec, collaborators, now, false);
    return choice == null ? null : choice.ordered();
  }

  /** What a dry run shows of a task's provider choice: the candidates in the order it would try them, and why. */
  record Preview(Slot[] order, String note) {}

  /**
   * What a dry run says of a task with more than one candidate: what the project's strategy would pick and why, or
   * that it runs as assigned; null for a task with one candidate. Records nothing.
   */
  @Nullable Preview preview(String project, TaskSpec spec, Slot[] candidates, Instant now) {
    if (candidates.length < 2) {
      return null;
    }
    List<String> names = names(candidates);
    String assigned = "runs as assigned on " + names.get(0) + ", failover " + String.join(", ",
        names.subList(1, names.size()));
    Named named = strategy(project);
    if (named == null) {
      return new Preview(candidates, "no learning strategy: " + assigned);
    }
    Choice choice = choose(named, project, "", spec, names, now, false);
    if (choice == null) {
      return new Preview(candidates, named.name() + " gave no usable choice: " + assigned);
    }
    Slot[] order = new Slot[choice.ordered().size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = candidates[names.indexOf(choice.ordered().get(i))];
    }
    // The built-ins start their reason with their own name; the preview names the strategy once.
    String reason = choice.reason().startsWith(named.name() + ": ")
        ? choice.reason().substring(named.name().length() + 2) : choice.reason();
    return new Preview(order, named.name() + " would pick " + choice.provider() + ": " + reason);
  }

  /** The strategy's choice among {@code names}, or null (logged) when it failed or chose outside them. */
  private @Nullable Choice choose(Named named, String project, String runId, TaskSpec spec, List<String> names,
      Instant now, boolean announce) {
    OutcomeStatistics stats = statistics(project, now, announce);
    Money remaining = budgets.remaining(project, runId, spec.id());
    Assignment.Builder b = Assignment.builder(spec.id(), spec.taskType()).project(project).candidates(names)
        .statistics(stats).at(now);
    if (remaining != null) {
      b.remainingBudget(remaining);
    }
    Choice choice;
    try {
      choice = named.strategy().choose(b.build());
    } catch (RuntimeException e) {
      log.warn("Learning strategy failed; the workflow's order is kept (strategy={}, run={}, task={})", named.name(),
          runId, spec.id(), e);
      return null;
    }
    if (!names.containsAll(choice.ordered())) {
      log.warn("Learning strategy chose a provider the task may not use; the workflow's order is kept (strategy={},"
          + " run={}, task={}, candidates={}, choice={})", named.name(), runId, spec.id(), names, choice.ordered());
      return null;
    }
    return choice;
  }

  private static List<String> names(Slot[] candidates) {
    List<String> names = new ArrayList<>(candidates.length);
    for (Slot s : candidates) {
      names.add(s.name);
    }
    return names;
  }

  /** The project's figures, caught up with the store; announces the project's demotions not announced yet. */
  private OutcomeStatistics statistics(String project, Instant now, boolean announce) {
    if (!streamless) {
      try {
        statistics.catchUp(ctx.store);
      } catch (UnsupportedOperationException e) {
        streamless = true; // a store without an event stream: strategies decide without figures
        log.warn("The store keeps no event stream: learning strategies decide without statistics");
      } catch (RuntimeException e) {
        // An event the store cannot give back (a row changed by hand, written by an incompatible version) must not
        // stop the work: strategies decide on the figures read so far, and the log says why they stopped moving.
        String why = String.valueOf(e.getMessage());
        if (!why.equals(lastCatchUpFailure)) {
          lastCatchUpFailure = why;
          log.warn("The event stream could not be read further; learning strategies decide on the figures read so "
              + "far (up to event {}) until it can: {}", statistics.lastSequence(), why, e);
        }
      }
    }
    OutcomeStatistics stats = statistics.project(project);
    for (Demotion d : announce ? stats.demotions() : List.<Demotion>of()) {
      if (d.activeAt(now) && !announced.contains(key(project, d)) && !statistics.announced(project, d)) {
        announce(project, d, now);
      }
    }
    return stats;
  }

  private static String key(String project, Demotion d) {
    return project + '\u0000' + d.provider() + '\u0000' + d.taskType() + '\u0000' + d.since();
  }

  private void announce(String project, Demotion d, Instant now) {
    ProviderDemotedEvent e = new ProviderDemotedEvent(project, now, d.provider(), d.taskType(), d.since(),
        d.retryAt(), d.failures(), d.sample(), d.evidence());
    // Remembered here until the catch-up reads it back from the stream (other processes learn it from there).
    announced.add(key(project, d));
    ctx.emit(null, e);
    log.warn("Provider demoted (project={}, provider={}, type={}): {}", project, d.provider(), d.taskType(),
        d.evidence());
  }
}
