package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.RunSubmittedEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunningWorkflowsTest {
  private final Harness h = new Harness();

  private static Workflow blog() {
    return Workflow.builder("blog")
        .task("research", t -> t.title("Research {{topic}}").instructions("Research {{topic}}").provider("chatgpt"))
        .task("draft", t -> t.instructions("Draft {{words}} words from: {{tasks.research.output}}")
            .provider("chatgpt").dependsOn("research"))
        .task("edit", t -> t.instructions("Edit: {{tasks.draft.output}}").provider("claude").dependsOn("draft"))
        .build();
  }

  @Test
  void runsTasksInDependencyOrderAndPassesOutputsDownstream() {
    FakeProvider chatgpt = FakeProvider.echo("chatgpt");
    FakeProvider claude = FakeProvider.builder("claude").script(Reply.text("polished")).build();
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).build()) {
      Run run = o.submit("demo", blog(), Map.of("topic", "tides", "words", 800));

      RunSnapshot done = run.completion().join();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(chatgpt.requests()).extracting(r -> r.prompt()).containsExactly(
          "Research tides",
          "Draft 800 words from: chatgpt: Research tides");
      assertThat(claude.requests().get(0).prompt())
          .isEqualTo("Edit: chatgpt: Draft 800 words from: chatgpt: Research tides");
      assertThat(done.task("edit").output()).isEqualTo("polished");
      assertThat(done.task("research").title()).isEqualTo("Research tides");
      assertThat(h.events.states("draft")).containsExactly(TaskState.READY, TaskState.RUNNING, TaskState.SUCCEEDED);
      List<Event> all = h.events.events();
      assertThat(all.get(0)).isInstanceOf(RunSubmittedEvent.class);
      assertThat(all.get(all.size() - 1)).isInstanceOf(RunFinishedEvent.class);
      assertThat(run.events()).containsExactlyElementsOf(all);
    }
  }

  @Test
  void aValueContainingPlaceholdersIsNeverExpandedAgain() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(p).build()) {
      Workflow w = Workflow.builder("w").task("a", t -> t.instructions("About {{topic}} for {{who}}")).build();
      o.submit("demo", w, Map.of("topic", "{{who}}", "who", "kids")).completion().join();
      assertThat(p.requests().get(0).prompt()).isEqualTo("About {{who}} for kids");
    }
  }

  @Test
  void aMissingParameterOrUnknownProviderSubmitsNothing() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("chatgpt")).build()) {
      assertThatThrownBy(() -> o.submit("demo", blog(), Map.of("topic", "tides")))
          .isInstanceOf(InvalidWorkflowException.class)
          .hasMessageContaining("parameter 'words' has no value")
          .hasMessageContaining("task 'edit' names provider 'claude', which is not configured");
      assertThat(o.runs("demo")).isEmpty();
      assertThat(h.events.events()).isEmpty();
    }
  }

  @Test
  void badProjectNamesAreRejected() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      Workflow w = Workflow.builder("w").task("a", t -> t.instructions("x")).build();
      assertThatThrownBy(() -> o.submit(" ", w)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("project must be").hasMessageContaining("(was ' ')");
    }
  }

  @Test
  void aFailureFailsTheTaskSkipsItsDependantsAndFailsTheRun() {
    FakeProvider chatgpt = FakeProvider.builder("chatgpt").script(Reply.failure(ErrorKind.AUTH)).build();
    try (Orchestrator o = h.builder().provider(chatgpt).provider(FakeProvider.echo("claude")).build()) {
      RunSnapshot done = o.submit("demo", blog(), Map.of("topic", "t", "words", 1)).completion().join();
      assertThat(done.status()).isEqualTo(RunStatus.FAILED);
      assertThat(done.task("research").state()).isEqualTo(TaskState.FAILED);
      assertThat(done.task("research").errorKind()).isEqualTo(ErrorKind.AUTH);
      assertThat(done.task("research").error()).contains("injected auth failure");
      assertThat(done.task("draft").state()).isEqualTo(TaskState.SKIPPED);
      assertThat(done.task("edit").state()).isEqualTo(TaskState.SKIPPED);
      assertThat(h.events.events(TaskFailedEvent.class)).singleElement()
          .satisfies(e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH));
    }
  }

  @Test
  void aCallLongerThanTheTimeoutIsCancelledAndFailsAsTimeout() {
    FakeProvider slow = FakeProvider.builder("slow").scheduler(h.scheduler).latency(Duration.ofMinutes(10)).build();
    try (Orchestrator o = h.builder().provider(slow).build()) {
      Workflow w = Workflow.builder("w").task("a", t -> t.instructions("x").timeout(Duration.ofMinutes(2))
          .retry(RetryPolicy.none())).build();
      Run run = o.submit("demo", w);
      h.scheduler.advance(Duration.ofMinutes(2));
      assertThat(run.task("a").state()).isEqualTo(TaskState.FAILED);
      assertThat(run.task("a").errorKind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(run.task("a").lastAttempt().toString()).isEqualTo("slow TIMEOUT");
      assertThat(slow.cancelledCount()).isEqualTo(1);
      assertThat(h.scheduler.pending()).as("the provider's own timer is gone too").isZero();
    }
  }

  @Test
  void perProviderConcurrencyLimitsAreHonouredAndCallsHoldNoThread() {
    FakeProvider slow = FakeProvider.builder("slow").scheduler(h.scheduler).latency(Duration.ofSeconds(10)).build();
    Workflow.Builder wb = Workflow.builder("fan");
    for (int i = 0; i < 10; i++) {
      wb.task("t" + i, t -> t.instructions("x"));
    }
    try (Orchestrator o = h.builder().provider(slow, 3).build()) {
      Run run = o.submit("demo", wb.build());
      assertThat(slow.inFlight()).isEqualTo(3);
      h.scheduler.advance(Duration.ofSeconds(10));
      assertThat(slow.inFlight()).isEqualTo(3);
      assertThat(run.snapshot().tasks()).filteredOn(t -> t.state() == TaskState.SUCCEEDED).hasSize(3);
      h.scheduler.advance(Duration.ofSeconds(30));
      assertThat(run.completion()).isCompleted();
      assertThat(slow.callCount()).isEqualTo(10);
    }
  }

  @Test
  void aListenerThatThrowsNeverBreaksTheRun() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p"))
        .listener(e -> {
          throw new IllegalStateException("listener bug");
        }).build()) {
      Workflow w = Workflow.builder("w").task("a", t -> t.instructions("x"))
          .task("b", t -> t.instructions("y").dependsOn("a")).build();
      Run run = o.submit("demo", w);
      Run.Subscription s = run.subscribe(e -> {
        throw new RuntimeException("subscriber bug");
      });
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      s.close();
      assertThat(h.events.events(RunFinishedEvent.class)).hasSize(1);
    }
  }

  @Test
  void usageAndCostAreTotalledPerRun() {
    FakeProvider p = FakeProvider.builder("p").costPerCall(Money.usd("0.0125")).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Workflow w = Workflow.builder("w").task("a", t -> t.instructions("x"))
          .task("b", t -> t.instructions("y").priority(Priority.HIGH)).build();
      RunSnapshot done = o.submit("demo", w).completion().join();
      assertThat(done.cost()).isEqualTo(Money.usd("0.025"));
      assertThat(done.usage().totalTokens()).isPositive();
      assertThat(h.events.events(RunFinishedEvent.class).get(0).cost()).isEqualTo(Money.usd("0.025"));
    }
  }

  @Test
  void runsOfOneProjectAreInvisibleFromAnother() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      Workflow w = Workflow.builder("w").task("a", t -> t.instructions("x")).build();
      Run a = o.submit("alpha", w);
      assertThat(o.runs("alpha")).hasSize(1);
      assertThat(o.runs("beta")).isEmpty();
      assertThat(o.run("beta", a.id())).isEmpty();
      assertThat(o.run("alpha", a.id())).isPresent();
    }
  }
}
