package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Approval;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Approvals wait in the store: they survive a restart, keep the output to approve, and keep their timeout. */
class ApprovalRecoveryTest {
  private final Harness h = new Harness();

  private static Workflow release(Approval approval) {
    return Workflow.builder("release").task("notes", t -> t.instructions("Notes").approval(approval))
        .task("publish", t -> t.instructions("Publish {{tasks.notes.output}}").dependsOn("notes")).build();
  }

  @Test
  void anOutputWaitingForApprovalIsApprovedAfterARestart() {
    Store store = RecoveryTest.durable(InMemoryStore.create());
    FakeProvider first = FakeProvider.echo("p");
    String runId;
    try (Orchestrator o = h.builder().provider(first).store(store).build()) {
      Run run = o.submit("demo", release(Approval.after()));
      runId = run.id();
      assertThat(run.task("notes").state()).isEqualTo(TaskState.AWAITING_INPUT);
    }
    FakeProvider second = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(second).store(store).build()) {
      Question q = o.questions("demo").get(0);
      assertThat(Approval.isApproval(q.id())).isTrue();
      o.answer(q.id(), "approve");
      Run run = o.run("demo", runId).orElseThrow();
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.task("notes").output()).isEqualTo("p: Notes");
      assertThat(second.requests()).extracting(r -> r.prompt()).singleElement().asString()
          .startsWith("Publish p: Notes").doesNotContain("Approve");
    }
    assertThat(first.callCount()).isEqualTo(1);
  }

  @Test
  void aTimeoutIsArmedAgainForWhatIsLeftOfItAfterARestart() {
    Store store = RecoveryTest.durable(InMemoryStore.create());
    String runId;
    Approval approval = Approval.builder(Approval.Stage.BEFORE).timeout(Duration.ofHours(1))
        .onTimeout(Approval.OnTimeout.DEFAULT).defaultAnswer("approve").build();
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).store(store).build()) {
      runId = o.submit("demo", release(approval)).id();
      h.scheduler.advance(Duration.ofMinutes(40));
    }
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).store(store).build()) {
      Run run = o.run("demo", runId).orElseThrow();
      h.scheduler.advance(Duration.ofMinutes(19));
      assertThat(run.task("notes").state()).isEqualTo(TaskState.AWAITING_INPUT);
      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.task("notes").question().answer()).isEqualTo("approve (timed out)");
    }
  }
}
