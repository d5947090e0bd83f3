package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Approval;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalTest {
  private final Harness h = new Harness();

  private static Workflow one(Approval approval) {
    return Workflow.builder("w").task("deploy", t -> t.instructions("Ship it").approval(approval)).build();
  }

  @Test
  void anApprovalBeforeHoldsTheTaskUntilApprovedAndCostsNothingMeanwhile() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one(Approval.before()));
      assertThat(run.task("deploy").state()).isEqualTo(TaskState.AWAITING_INPUT);
      Question q = o.questions("demo").get(0);
      assertThat(q.id()).startsWith(Approval.ID_PREFIX);
      assertThat(Approval.isApproval(q.id())).isTrue();
      assertThat(q.text()).isEqualTo("Approve task 'deploy' to run?");
      assertThat(p.callCount()).isZero();

      o.answer(q.id(), "approve");

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(p.requests().get(0).prompt()).isEqualTo("Ship it");
      assertThat(h.events.events(InputRequestedEvent.class)).hasSize(1);
    }
  }

  @Test
  void aRejectedApprovalFailsTheTaskWithoutCallingTheProvider() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one(Approval.before()));
      o.answer(o.questions("demo").get(0).id(), "reject");
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.task("deploy").errorKind()).isEqualTo(ErrorKind.REVIEW_REJECTED);
      assertThat(p.callCount()).isZero();
    }
  }

  @Test
  void anApprovalAfterHoldsTheOutputUntilApproved() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one(Approval.after()));
      assertThat(run.task("deploy").state()).isEqualTo(TaskState.AWAITING_INPUT);
      assertThat(run.task("deploy").output()).isEqualTo("p: Ship it");
      Question q = o.questions("demo").get(0);
      assertThat(q.text()).isEqualTo("Approve the output of task 'deploy'?");

      o.answer(q.id(), "approve");

      assertThat(run.completion().join().task("deploy").output()).isEqualTo("p: Ship it");
      assertThat(p.callCount()).isEqualTo(1);
      assertThat(h.events.states("deploy")).containsExactly(TaskState.READY, TaskState.RUNNING,
          TaskState.AWAITING_INPUT, TaskState.SUCCEEDED);
    }
  }

  @Test
  void anOutputRejectedFailsTheTask() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      Run run = o.submit("demo", one(Approval.after()));
      o.answer(o.questions("demo").get(0).id(), "no");
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
    }
  }

  @Test
  void onTimeoutDenyRejectsWhenTheClockPassesTheTimeout() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      Run run = o.submit("demo", one(Approval.builder(Approval.Stage.BEFORE).timeout(Duration.ofHours(1)).build()));
      h.scheduler.advance(Duration.ofMinutes(59));
      assertThat(run.task("deploy").state()).isEqualTo(TaskState.AWAITING_INPUT);
      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.task("deploy").question().answer()).isEqualTo("reject (timed out)");
    }
  }

  @Test
  void onTimeoutDefaultGivesTheDefaultAnswer() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one(Approval.builder(Approval.Stage.AFTER).timeout(Duration.ofMinutes(30))
          .onTimeout(Approval.OnTimeout.DEFAULT).defaultAnswer("approve").build()));
      h.scheduler.advance(Duration.ofMinutes(30));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.task("deploy").output()).isEqualTo("p: Ship it");
    }
  }

  @Test
  void onTimeoutEscalateAsksAgainThenDeniesAfterASecondTimeout() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      Run run = o.submit("demo", one(Approval.builder(Approval.Stage.BEFORE).timeout(Duration.ofMinutes(10))
          .onTimeout(Approval.OnTimeout.ESCALATE).escalateTo(List.of("ops", "cto")).build()));
      String first = o.questions("demo").get(0).id();
      h.scheduler.advance(Duration.ofMinutes(10));
      List<Question> open = o.questions("demo");
      assertThat(open).singleElement().satisfies(q -> {
        assertThat(q.id()).isNotEqualTo(first).startsWith(Approval.ID_PREFIX);
        assertThat(q.text()).isEqualTo("Escalated to ops, cto: approve task 'deploy' to run?");
      });
      assertThat(h.events.events(InputRequestedEvent.class)).hasSize(2);
      h.scheduler.advance(Duration.ofMinutes(10));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
    }
  }

  @Test
  void anEscalatedApprovalCanStillBeApproved() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      Run run = o.submit("demo", one(Approval.builder(Approval.Stage.BEFORE).timeout(Duration.ofMinutes(10))
          .onTimeout(Approval.OnTimeout.ESCALATE).escalateTo(List.of("ops")).build()));
      h.scheduler.advance(Duration.ofMinutes(10));
      o.answer(o.questions("demo").get(0).id(), "approve");
      h.scheduler.advance(Duration.ofMinutes(20));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void anApprovalAnsweredBeforeItsTimeoutIsNotSettledAgain() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      Run run = o.submit("demo", one(Approval.builder(Approval.Stage.BEFORE).timeout(Duration.ofMinutes(5)).build()));
      o.answer(o.questions("demo").get(0).id(), "yes");
      h.scheduler.advance(Duration.ofMinutes(10));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void aRejectedTaskResumedAsksForItsApprovalAgain() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one(Approval.before()));
      o.answer(o.questions("demo").get(0).id(), "reject");
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);

      run.resume("deploy");

      assertThat(run.task("deploy").state()).isEqualTo(TaskState.AWAITING_INPUT);
      assertThat(p.callCount()).isZero();
      o.answer(o.questions("demo").get(0).id(), "approve");
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(p.callCount()).isEqualTo(1);
    }
  }
}
