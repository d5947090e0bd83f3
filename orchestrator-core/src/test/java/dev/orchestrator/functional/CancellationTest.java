package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.RunReopenedEvent;
import dev.orchestrator.event.TaskCancelledEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CancellationTest {
  private final Harness h = new Harness();

  /** a -> b -> c, plus an independent d. */
  private static Workflow chain() {
    // Each task's prompt is its instructions alone, so the calls read as the tasks they are.
    return Workflow.builder("chain").context(dev.orchestrator.workflow.UpstreamContext.none())
        .task("a", t -> t.instructions("A"))
        .task("b", t -> t.instructions("B").dependsOn("a"))
        .task("c", t -> t.instructions("C").dependsOn("b"))
        .task("d", t -> t.instructions("D"))
        .build();
  }

  @Test
  void cancellingARunningTaskCancelsTheCallFreesTheSlotAndSkipsDependants() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(1))
        .script(Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run run = o.submit("demo", chain());
      assertThat(run.task("a").state()).isEqualTo(TaskState.RUNNING);
      assertThat(run.task("d").state()).as("waits for the only slot").isEqualTo(TaskState.READY);

      run.cancelTask("a", "alice", "the AI went rogue");

      assertThat(p.cancelledCount()).isEqualTo(1);
      TaskRecord a = run.task("a");
      assertThat(a.state()).isEqualTo(TaskState.CANCELLED);
      assertThat(a.cancellation().by()).isEqualTo("alice");
      assertThat(a.cancellation().reason()).isEqualTo("the AI went rogue");
      assertThat(a.lastAttempt().outcome()).isEqualTo(Attempt.Outcome.CANCELLED);
      assertThat(run.task("b").state()).isEqualTo(TaskState.SKIPPED);
      assertThat(run.task("c").state()).isEqualTo(TaskState.SKIPPED);
      assertThat(run.task("d").state()).as("the freed slot went to d").isEqualTo(TaskState.RUNNING);
      assertThat(h.events.events(TaskCancelledEvent.class)).singleElement()
          .satisfies(e -> assertThat(e.by()).isEqualTo("alice"));

      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.CANCELLED);
    }
  }

  @Test
  void markingARunningTaskFailedStopsItsCallAndTheRunEndsFailedAndItCanBeResumed() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(1))
        .script(Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run run = o.submit("demo", chain());
      assertThat(run.task("a").state()).isEqualTo(TaskState.RUNNING);

      run.failTask("a", "alice", "the draft is unusable");

      assertThat(p.cancelledCount()).isEqualTo(1);
      TaskRecord a = run.task("a");
      assertThat(a.state()).isEqualTo(TaskState.FAILED);
      assertThat(a.error()).isEqualTo("marked failed by alice: the draft is unusable");
      assertThat(a.cancellation()).isNull();
      assertThat(run.task("b").state()).isEqualTo(TaskState.SKIPPED);
      assertThat(h.events.events(dev.orchestrator.event.TaskFailedEvent.class)).singleElement()
          .satisfies(e -> assertThat(e.message()).contains("alice", "unusable"));
      assertThat(h.events.events(TaskCancelledEvent.class)).isEmpty();
      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);

      run.resume("a");
      assertThat(run.task("a").state()).isIn(TaskState.READY, TaskState.RUNNING);
      assertThat(run.task("b").state()).isEqualTo(TaskState.BLOCKED);
    }
  }

  @Test
  void aLateReplyToACancelledCallIsIgnored() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("A")).build());
      FakeProvider.Call call = p.calls().get(0);
      run.cancelTask("a", "bob", "stop");
      call.future().complete(dev.orchestrator.spi.provider.ProviderResponse.of("too late",
          dev.orchestrator.TokenUsage.NONE));
      assertThat(run.task("a").state()).isEqualTo(TaskState.CANCELLED);
      assertThat(run.task("a").output()).isNull();
    }
  }

  @Test
  void cancellingTheRunCancelsEveryUnfinishedTask() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(1)).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run run = o.submit("demo", chain());
      h.scheduler.advance(Duration.ofMinutes(1)); // a succeeds; b or d starts
      run.cancel("cli", "user pressed Ctrl-C");
      var done = run.completion().join();
      assertThat(done.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(done.run().cancellation().by()).isEqualTo("cli");
      assertThat(done.task("a").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(done.tasks()).filteredOn(t -> !t.taskId().equals("a"))
          .allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.CANCELLED));
      assertThat(p.inFlight()).isZero();
      assertThat(h.scheduler.pending()).isZero();
    }
  }

  @Test
  void resumingACancelledTaskRequeuesItAndBringsItsSkippedDependantsBack() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", chain());
      run.cancelTask("a", "alice", "wrong prompt");
      var first = run.completion().join();
      assertThat(first.status()).isEqualTo(RunStatus.CANCELLED);

      run.resume("a");

      var done = run.completion().join();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(done.task("a").attempts()).hasSize(2);
      assertThat(done.task("a").cancellation()).isNull();
      assertThat(done.task("c").output()).isEqualTo("p: C");
      assertThat(h.events.events(RunReopenedEvent.class)).hasSize(1);
      assertThat(h.events.states("b")).containsExactly(TaskState.SKIPPED, TaskState.BLOCKED, TaskState.READY,
          TaskState.RUNNING, TaskState.SUCCEEDED);
    }
  }

  @Test
  void resumingAFailedTaskRetriesIt() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.failure(ErrorKind.INVALID_REQUEST)).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", chain());
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
      run.resume("a");
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void onlyCancelledOrFailedTasksCanBeResumedAndNotAboveADeadUpstream() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", chain());
      assertThatThrownBy(() -> run.resume("a")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("task 'a' is RUNNING");
      run.cancel("alice", "stop");
      assertThatThrownBy(() -> run.resume("b")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("waits for 'a', which is CANCELLED: resume 'a' instead");
      assertThatThrownBy(() -> run.resume("nope")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has no task 'nope'");
      assertThatThrownBy(() -> run.cancelTask("a", " ", "why")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("by must not be blank");
    }
  }

  @Test
  void cancellingAReadyTaskTakesItOutOfItsLane() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(1)).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run run = o.submit("demo", chain());
      assertThat(run.task("d").state()).isEqualTo(TaskState.READY);
      run.cancelTask("d", "alice", "not needed");
      h.scheduler.advance(Duration.ofMinutes(10));
      assertThat(p.requests()).extracting(r -> r.prompt()).containsExactly("A", "B", "C");
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.CANCELLED);
    }
  }

  @Test
  void steeringAClosedOrchestratorFailsInsteadOfWaiting() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    Orchestrator o = Orchestrator.builder().provider(p).build(); // its own dispatch thread
    Run run = o.submit("demo", chain());
    o.close();
    assertThatThrownBy(() -> run.cancel("alice", "too late")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> o.submit("demo", chain())).isInstanceOf(IllegalStateException.class);
  }
}
