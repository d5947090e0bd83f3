package dev.orchestrator.core.internal;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine's collaborators wired as the engine wires them, over an in-memory store, virtual time and a drain loop
 * the test drives: {@link #drain()} runs what was posted, on the test thread. For white-box tests of one
 * collaborator.
 */
final class EngineParts {
  final MutableClock clock;
  final ManualScheduler scheduler;
  final InMemoryStore store;
  private final ArrayDeque<Runnable> mailbox = new ArrayDeque<>();
  final Slot slot;
  final EngineContext ctx;
  final Providers providers;
  final Questions questions;
  final Lifecycle lifecycle;
  final Resilience resilience;
  final Budgets budgets;
  final Retries retries;

  EngineParts(AiProvider provider, CircuitBreakerPolicy breaker, RateLimit rate) {
    this(provider, breaker, rate, null);
  }

  /**
   * Another engine's collaborators over the store, clock and scheduler of {@code sharing} (as a second process
   * shares them), or new ones when it is null.
   */
  EngineParts(AiProvider provider, CircuitBreakerPolicy breaker, RateLimit rate,
      @Nullable EngineParts sharing) {
    clock = sharing == null ? MutableClock.create() : sharing.clock;
    scheduler = sharing == null ? new ManualScheduler(clock) : sharing.scheduler;
    store = sharing == null ? InMemoryStore.create(clock) : sharing.store;
    slot = new Slot(provider, provider.name(), 4, null, breaker, rate, Set.of());
    Map<String, Slot> slots = new LinkedHashMap<>();
    slots.put(slot.name, slot);
    providers = new Providers(slots, slot.name);
    EngineContext.Loop loop = new EngineContext.Loop() {
      @Override
      public boolean post(Runnable message) {
        return mailbox.add(message);
      }

      @Override
      public <T> T call(Supplier<T> action) {
        return action.get();
      }

      @Override
      public void checkOpen() {}
    };
    Runs runs = new Runs(store, run -> {
      throw new UnsupportedOperationException("no handles here");
    });
    Events events = new Events(store, scheduler, loop, runs, List.of());
    String owner = sharing == null ? "test-engine" : "test-engine-2";
    ctx = new EngineContext(clock, scheduler, store, owner, java.time.Duration.ofSeconds(30), loop, events,
        new Transitions(store, run -> run.lost = true, run -> run.lost = true), runs);
    questions = new Questions(ctx);
    lifecycle = new Lifecycle(ctx, new ProjectPauses(), questions);
    retries = new Retries(ctx, lifecycle, RetryPolicy.none());
    resilience = new Resilience(ctx, providers, lifecycle, retries);
    budgets = new Budgets(ctx, ZoneOffset.UTC, providers, lifecycle);
  }

  /** Runs every posted message, and what they post, until none is left. */
  void drain() {
    Runnable m;
    while ((m = mailbox.poll()) != null) {
      m.run();
    }
  }

  /** Advances virtual time, runs the timers due and drains what they posted. */
  void advance(java.time.Duration by) {
    scheduler.advance(by);
    drain();
  }

  /** A task of a one-task run on the slot, ready to be called; its run holds no lease (nothing is written). */
  TaskNode task(String id) {
    return task(id, t -> {});
  }

  /** Such a task, its spec changed by {@code spec}. */
  TaskNode task(String id, java.util.function.Consumer<TaskSpec.Builder> spec) {
    Workflow workflow = Workflow.builder("w").task(id, t -> spec.accept(t.instructions("do " + id))).build();
    TaskSpec taskSpec = workflow.tasks().get(0);
    RunRecord record = RunRecord.submitted("p", "r-" + id, "w", Map.of(), ctx.now());
    RunState run = new RunState(record.id(), "p", workflow, Map.of(), record);
    TaskNode n = new TaskNode(run, taskSpec, 0, TaskNode.EMPTY, new Slot[] {slot},
        TaskRecord.created("p", run.id, id, id, taskSpec.priority(), ctx.now()));
    run.nodes = new TaskNode[] {n};
    run.unfinished = 1;
    return n;
  }
}
