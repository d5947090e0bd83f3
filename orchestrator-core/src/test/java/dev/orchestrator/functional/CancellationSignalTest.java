package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A provider learns through its {@link CallContext} that the engine gave its call up: {@code cancelled()} turns true
 * and each {@code onCancel} action runs once, before the call's future is cancelled. Virtual time throughout.
 */
class CancellationSignalTest {
  private final Harness h = new Harness();

  @Test
  void aCallWhoseTaskTimesOutIsSignalledOnceBeforeItsFutureIsCancelled() {
    FakeProvider slow = FakeProvider.builder("slow").scheduler(h.scheduler).latency(Duration.ofMinutes(10)).build();
    try (Orchestrator o = h.builder().provider(slow).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")
          .timeout(Duration.ofMinutes(2)).retry(RetryPolicy.none())).build());
      Watched call = watch(slow.calls().get(0));
      assertThat(call.context.cancelled()).isFalse();

      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(call.context.cancelled()).as("before the timeout").isFalse();
      assertThat(call.actions).hasValue(0);

      h.scheduler.advance(Duration.ofMinutes(1));

      assertThat(run.task("a").state()).isEqualTo(TaskState.FAILED);
      assertThat(call.context.cancelled()).isTrue();
      assertThat(call.actions).hasValue(1);
      assertThat(call.signalledWhenTheFutureEnded).as("the signal is set before the future is cancelled")
          .hasValue(true);
      h.scheduler.advance(Duration.ofMinutes(20));
      assertThat(call.actions).as("runs once").hasValue(1);
    }
  }

  @Test
  void aCallWhoseTaskIsCancelledIsSignalledOnce() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("A")).build());
      Watched call = watch(p.calls().get(0));

      run.cancelTask("a", "alice", "not needed");

      assertThat(call.context.cancelled()).isTrue();
      assertThat(call.actions).hasValue(1);
      assertThat(call.signalledWhenTheFutureEnded).hasValue(true);
      AtomicInteger late = new AtomicInteger();
      call.context.onCancel(late::incrementAndGet);
      assertThat(late).as("an action registered after the cancellation runs at once").hasValue(1);
      assertThat(call.actions).hasValue(1);
    }
  }

  @Test
  void cancellingTheRunSignalsEveryCallInFlight() {
    FakeProvider p = FakeProvider.builder("p").otherwise(req -> Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p, 2).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("A"))
          .task("b", t -> t.instructions("B")).build());
      assertThat(p.calls()).hasSize(2);
      Watched a = watch(p.calls().get(0));
      Watched b = watch(p.calls().get(1));

      run.cancel("cli", "user pressed Ctrl-C");

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(a.context.cancelled()).isTrue();
      assertThat(b.context.cancelled()).isTrue();
      assertThat(a.actions).hasValue(1);
      assertThat(b.actions).hasValue(1);
    }
  }

  @Test
  void closingTheEngineSignalsTheCallsItGivesUp() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    Orchestrator o = h.builder().provider(p).build();
    o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("A")).build());
    Watched call = watch(p.calls().get(0));

    o.close();

    assertThat(call.context.cancelled()).isTrue();
    assertThat(call.actions).hasValue(1);
  }

  @Test
  void aCallThatAnsweredIsNeverSignalledEvenWhenItsRunIsCancelledLater() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.text("done"), Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("A"))
          .task("b", t -> t.instructions("B").dependsOn("a")).build());
      assertThat(run.task("a").state()).isEqualTo(TaskState.SUCCEEDED);
      CallContext answered = p.calls().get(0).context();
      AtomicInteger actions = new AtomicInteger();
      answered.onCancel(actions::incrementAndGet);

      run.cancel("alice", "stop");

      assertThat(p.calls().get(1).context().cancelled()).isTrue();
      assertThat(answered.cancelled()).isFalse();
      assertThat(actions).hasValue(0);
    }
  }

  @Test
  void aCancelActionThatThrowsDoesNotKeepTheCallFromBeingCancelled() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("A")).build());
      FakeProvider.Call call = p.calls().get(0);
      call.context().onCancel(() -> {
        throw new IllegalStateException("a provider's bug");
      });

      run.cancelTask("a", "alice", "stop");

      assertThat(run.task("a").state()).isEqualTo(TaskState.CANCELLED);
      assertThat(call.future().isCancelled()).isTrue();
      assertThat(p.inFlight()).isZero();
    }
  }

  /** A call's context with a counting cancel action, and what the signal read when the call's future ended. */
  private record Watched(CallContext context, AtomicInteger actions,
      AtomicReference<Boolean> signalledWhenTheFutureEnded) {}

  private static Watched watch(FakeProvider.Call call) {
    Watched w = new Watched(call.context(), new AtomicInteger(), new AtomicReference<>());
    call.context().onCancel(w.actions::incrementAndGet);
    call.future().whenComplete((r, e) -> w.signalledWhenTheFutureEnded.set(call.context().cancelled()));
    return w;
  }
}
