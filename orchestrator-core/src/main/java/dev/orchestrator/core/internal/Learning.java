package dev.orchestrator.core.internal;

import dev.orchestrator.core.learn.OutcomeProjection;
import dev.orchestrator.core.learn.TaskTypes;
import dev.orchestrator.event.ProviderChosenEvent;
import dev.orchestrator.learn.Assignment;
import dev.orchestrator.learn.Choice;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.workflow.TaskSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the project's learning strategy which candidate a task runs on, the first time it is dispatched, from the
 * statistics projected from the store's event stream. Confined to the drain loop.
 */
final class Learning {
  private static final Logger log = LoggerFactory.getLogger(Learning.class);

  private final String name;
  private final LearningStrategy strategy;
  private final EngineContext ctx;
  private final OutcomeProjection statistics;
  private boolean streamless;

  Learning(String name, LearningStrategy strategy, EngineContext ctx) {
    this.name = name;
    this.strategy = strategy;
    this.ctx = ctx;
    TaskTypes stored = TaskTypes.fromStore(ctx.store);
    // The runs this engine holds first: a store that is not durable keeps no workflow definitions.
    TaskTypes types = (project, runId, taskId) -> {
      RunState run = ctx.runs.state(runId);
      TaskSpec spec = run != null && run.project.equals(project) ? run.workflow.task(taskId) : null;
      return spec != null ? spec.taskType() : stored.taskType(project, runId, taskId);
    };
    this.statistics = OutcomeProjection.builder().taskTypes(types).build();
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
    List<String> names = new ArrayList<>(candidates.length);
    for (Slot s : candidates) {
      names.add(s.name);
    }
    Assignment a = Assignment.builder(n.id(), n.spec.taskType()).project(n.run.project).candidates(names)
        .statistics(statistics(n.run.project)).at(now).build();
    Choice choice;
    try {
      choice = strategy.choose(a);
    } catch (RuntimeException e) {
      log.warn("Learning strategy failed; the workflow's order is kept (strategy={}, run={}, task={})", name,
          n.run.id, n.id(), e);
      return;
    }
    List<String> ordered = choice.ordered();
    if (!names.containsAll(ordered)) {
      log.warn("Learning strategy chose a provider the task may not use; the workflow's order is kept (strategy={},"
          + " run={}, task={}, candidates={}, choice={})", name, n.run.id, n.id(), names, ordered);
      return;
    }
    Slot[] order = new Slot[ordered.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = candidates[names.indexOf(ordered.get(i))];
    }
    n.extras().order = order;
    if (n.slot != order[0]) {
      n.slot = order[0];
      n.resetFailuresOnSlot();
    }
    ctx.emit(n.run, new ProviderChosenEvent(n.run.project, n.run.id, n.id(), now, n.spec.taskType(),
        choice.provider(), choice.failover(), name, choice.reason()));
    log.debug("Provider chosen (strategy={}, run={}, task={}, provider={}, reason={})", name, n.run.id, n.id(),
        choice.provider(), choice.reason());
  }

  private OutcomeStatistics statistics(String project) {
    if (!streamless) {
      try {
        statistics.catchUp(ctx.store);
      } catch (UnsupportedOperationException e) {
        streamless = true; // a store without an event stream: strategies decide without figures
        log.warn("The store keeps no event stream: learning strategy {} decides without statistics", name);
      }
    }
    return statistics.project(project);
  }
}
