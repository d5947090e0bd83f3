package dev.orchestrator.core.internal;

import dev.orchestrator.CostBasis;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.UpstreamContext;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the calls of some projects cost, summed from the attempts the store records, whichever process made them, and
 * what their unfinished tasks are expected to cost. Only finished attempts count: an attempt in flight carries its
 * reservation as its cost until it ends, and the reservation is counted once, by the ledger. A finished run's sums
 * are kept (its attempts no longer change; a reopened run finishes again at another time, which tells them apart).
 *
 * <p>Thread-safe: the kept sums are guarded by their map's monitor; everything else is read from the store.
 */
final class StoredSpending {
  private static final Logger log = LoggerFactory.getLogger(StoredSpending.class);
  private static final int KEPT_RUNS = 10_000;

  /** What spending is grouped by. */
  record Key(String provider, String taskType, LocalDate day) {}

  /** The finished calls of one group: their cost, its estimated part and how many had no price. */
  record Sum(BigDecimal spent, BigDecimal estimated, int unpriced) {
    static final Sum ZERO = new Sum(BigDecimal.ZERO, BigDecimal.ZERO, 0);

    Sum plus(Sum o) {
      return new Sum(spent.add(o.spent), estimated.add(o.estimated), unpriced + o.unpriced);
    }
  }

  /** The spending of some runs, and the expected cost of their tasks still to run. */
  record Totals(Map<Key, Sum> sums, BigDecimal remainingWork) {}

  private record Kept(@Nullable Instant finishedAt, Map<Key, Sum> sums) {}

  private final Store store;
  private final ZoneId zone;
  private final Providers providers;
  /** Guarded by itself; least recently used first. */
  private final Map<String, Kept> kept = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
      return size() > KEPT_RUNS;
    }
  };

  /** @param zone the time zone whose calendar days spending is grouped by (the budget zone) */
  StoredSpending(Store store, ZoneId zone, Providers providers) {
    this.store = store;
    this.zone = zone;
    this.providers = providers;
  }

  /** The spending of the projects' runs, and the expected cost of the tasks of their running runs still to run. */
  Totals of(List<String> projects) {
    Map<Key, Sum> sums = new HashMap<>();
    BigDecimal remaining = BigDecimal.ZERO;
    for (String p : projects) {
      for (RunRecord r : store.runs(p)) {
        String cacheKey = r.project() + '\n' + r.id();
        Kept k = null;
        if (r.status().isFinished()) {
          synchronized (kept) {
            k = kept.get(cacheKey);
          }
          if (k != null && !Objects.equals(k.finishedAt(), r.finishedAt())) {
            k = null;
          }
        }
        List<TaskRecord> tasks = null;
        Map<String, TaskSpec> specs = null;
        if (k == null) {
          tasks = store.tasks(r.project(), r.id());
          specs = specs(r);
          k = new Kept(r.finishedAt(), sums(tasks, specs));
          if (r.status().isFinished()) {
            synchronized (kept) {
              kept.put(cacheKey, k);
            }
          }
        }
        k.sums().forEach((key, s) -> sums.merge(key, s, Sum::plus));
        if (r.status() == RunStatus.RUNNING) {
          if (tasks == null) {
            tasks = store.tasks(r.project(), r.id());
            specs = specs(r);
          }
          remaining = remaining.add(remainingWork(r, tasks, Objects.requireNonNull(specs)));
        }
      }
    }
    return new Totals(sums, remaining);
  }

  private Map<Key, Sum> sums(List<TaskRecord> tasks, Map<String, TaskSpec> specs) {
    Map<Key, Sum> out = new HashMap<>();
    for (TaskRecord t : tasks) {
      TaskSpec spec = specs.get(t.taskId());
      String type = spec == null ? TaskSpec.DEFAULT_TASK_TYPE : spec.taskType();
      for (Attempt a : t.attempts()) {
        if (a.finishedAt() == null) {
          continue; // in flight: its cost is its reservation, which the ledger holds
        }
        boolean unpriced = a.costBasis() == CostBasis.UNPRICED;
        if (a.cost().isZero() && !unpriced) {
          continue;
        }
        BigDecimal cost = a.cost().amount();
        Sum s = new Sum(cost, a.costBasis() == CostBasis.ESTIMATED ? cost : BigDecimal.ZERO, unpriced ? 1 : 0);
        out.merge(new Key(a.provider(), type, LocalDate.ofInstant(a.finishedAt(), zone)), s, Sum::plus);
      }
    }
    return out;
  }

  /** The run's task specs by id, from its stored definition; empty when it cannot be read. */
  private Map<String, TaskSpec> specs(RunRecord r) {
    String definition = store.definition(r.project(), r.id()).orElse(null);
    if (definition == null) {
      return Map.of();
    }
    try {
      Workflow w = WorkflowCodec.read(definition);
      Map<String, TaskSpec> out = new HashMap<>();
      for (TaskSpec s : w.tasks()) {
        out.put(s.id(), s.context() != null ? s : s.toBuilder().context(w.context()).build());
      }
      return out;
    } catch (RuntimeException e) {
      log.warn("Run definition unreadable; its spending is reported under the default task type (project={}, run={})",
          r.project(), r.id(), e);
      return Map.of();
    }
  }

  /**
   * The expected cost of the run's tasks that have not finished and are not in flight (a call in flight is counted by
   * its reservation), each on the provider it was given or its first candidate. A cost that cannot be bounded
   * (an unpriced model) adds nothing.
   */
  private BigDecimal remainingWork(RunRecord r, List<TaskRecord> tasks, Map<String, TaskSpec> specs) {
    Map<String, @Nullable String> outputs = new HashMap<>();
    for (TaskRecord t : tasks) {
      outputs.put(t.taskId(), t.output());
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (TaskRecord t : tasks) {
      TaskSpec spec = specs.get(t.taskId());
      if (spec == null || t.state().isTerminal() || t.state() == TaskState.RUNNING) {
        continue;
      }
      Slot slot = slot(t, spec);
      if (slot == null) {
        continue;
      }
      java.util.function.Function<String, @Nullable String> lookup = name -> {
        if (name.equals(PromptTemplate.INPUT)) {
          return "";
        }
        String ref = PromptTemplate.taskReference(name);
        return ref != null ? outputs.get(ref) : r.params().get(name);
      };
      List<TaskSpec> parents = new ArrayList<>(spec.dependsOn().size());
      for (String dep : spec.dependsOn()) {
        TaskSpec p = specs.get(dep);
        if (p != null) {
          parents.add(p);
        }
      }
      // specs(...) resolved every task's context against its workflow's default.
      UpstreamContext context = spec.context() != null ? spec.context() : UpstreamContext.parents();
      CostEstimate e = Budgets.estimate(slot, Prompts.planned(spec, context, parents, lookup)); // one that fails is unknown
      if (e.isKnown()) {
        sum = sum.add(e.expected().amount());
      }
    }
    return sum;
  }

  /** The provider a task was given when this process has it configured, else its first candidate, or null. */
  private @Nullable Slot slot(TaskRecord t, TaskSpec spec) {
    if (t.provider() != null && providers.contains(t.provider())) {
      return providers.slot(t.provider());
    }
    Slot[] candidates = providers.candidates(spec, new ArrayList<>());
    return candidates == null || candidates.length == 0 ? null : candidates[0];
  }
}
