package dev.orchestrator.core.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The {@link Run} handed to callers: reads come from the store, changes go through the engine's drain loop. */
final class RunHandle implements Run {
  private final Engine engine;
  /** Replaced when the engine rebuilds the run (it lost and regained its lease, or reopened it). */
  private volatile RunState run;

  RunHandle(Engine engine, RunState run) {
    this.engine = engine;
    this.run = run;
  }

  RunState run() {
    return run;
  }

  void replace(RunState rebuilt) {
    run = rebuilt;
  }

  @Override
  public String id() {
    return run.id;
  }

  @Override
  public String project() {
    return run.project;
  }

  @Override
  public RunSnapshot snapshot() {
    RunRecord record = engine.store().run(run.project, run.id).orElseThrow();
    return new RunSnapshot(record, engine.store().tasks(run.project, run.id));
  }

  @Override
  public TaskRecord task(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    return engine.store().task(run.project, run.id, taskId).orElseThrow(() -> new IllegalArgumentException(
        "run " + run.id + " has no task '" + taskId + "'"));
  }

  @Override
  public CompletableFuture<RunSnapshot> completion() {
    // A copy, so a caller cancelling it cannot complete the engine's future.
    return run.completion.thenApply(s -> s);
  }

  @Override
  public List<Event> events() {
    return engine.store().events(run.project, run.id);
  }

  @Override
  public Subscription subscribe(EventSubscriber listener) {
    return engine.subscribe(this, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void cancel(String by, String reason) {
    engine.cancelRun(this, by, reason);
  }

  @Override
  public void cancelTask(String taskId, String by, String reason) {
    engine.cancelTask(this, taskId, by, reason);
  }

  @Override
  public void failTask(String taskId, String by, String reason) {
    engine.failTask(this, taskId, by, reason);
  }

  @Override
  public void resume(String taskId) {
    engine.resume(this, taskId);
  }

  @Override
  public void changePriority(String taskId, dev.orchestrator.Priority priority) {
    engine.changePriority(this, taskId, priority);
  }

  @Override
  public String toString() {
    return "Run[" + run.project + "/" + run.id + ", " + run.workflow.name() + "]";
  }
}
